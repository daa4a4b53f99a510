/**
 * Writes items in batches: an item added while a batch is being written waits for the next one,
 * which holds everything that came meanwhile (at most `maxBatch`). One statement and one commit
 * then serve many concurrent callers, and a lone caller still waits only for its own write.
 * `write` answers one result per item, in the items' order. A batch that fails is written again
 * item by item, so one item the database refuses fails only its own caller.
 */
export function groupCommit<Item, Result>(write: (items: Item[]) => Promise<Result[]>, maxBatch: number) {
  type Waiting = { item: Item; resolve: (result: Result) => void; reject: (error: unknown) => void }
  let queue: Waiting[] = []
  let writing = false

  async function writeQueued() {
    writing = true
    while (queue.length) {
      const batch = queue.slice(0, maxBatch)
      queue = queue.slice(batch.length)
      try {
        const results = await write(batch.map(({ item }) => item))
        batch.forEach(({ resolve }, index) => resolve(results[index]))
      } catch (error) {
        if (batch.length === 1) {
          batch[0].reject(error)
        } else {
          await Promise.all(
            batch.map(({ item, resolve, reject }) => write([item]).then(([result]) => resolve(result), reject))
          )
        }
      }
    }
    writing = false
  }

  return function add(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      queue.push({ item, resolve, reject })
      if (!writing) {
        void writeQueued()
      }
    })
  }
}
