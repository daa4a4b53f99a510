import { groupCommit } from "../group-commit"

/** A write that waits until released, so a test decides when each batch ends. */
function heldWrite() {
  const batches: number[][] = []
  const releases: (() => void)[] = []
  const write = async (items: number[]) => {
    batches.push(items)
    await new Promise<void>((resolve) => releases.push(resolve))
    if (items.includes(-1)) {
      throw new Error("refused")
    }
    return items.map((item) => item * 10)
  }
  return { write, batches, release: () => releases.shift()!() }
}

/** Lets the group commit run until `condition` holds; it needs a few turns of the event loop. */
async function until(condition: () => boolean) {
  for (let turns = 0; !condition(); turns++) {
    if (turns > 1000) {
      throw new Error("the group commit never got there")
    }
    await new Promise((resolve) => setImmediate(resolve))
  }
}

describe("group commit", () => {
  it("writes a lone item at once, and what comes meanwhile as the next batch", async () => {
    const { write, batches, release } = heldWrite()
    const add = groupCommit(write, 100)
    const first = add(1)
    await until(() => batches.length === 1)
    const rest = [add(2), add(3), add(4)]
    release()
    await expect(first).resolves.toBe(10)
    await until(() => batches.length === 2)
    release()
    await expect(Promise.all(rest)).resolves.toEqual([20, 30, 40])
    expect(batches).toEqual([[1], [2, 3, 4]])
  })

  it("keeps a batch within its maximum size", async () => {
    const { write, batches, release } = heldWrite()
    const add = groupCommit(write, 2)
    const all = [add(1), add(2), add(3), add(4), add(5)]
    for (let written = 1; written <= 3; written++) {
      await until(() => batches.length === written)
      release()
    }
    await expect(Promise.all(all)).resolves.toEqual([10, 20, 30, 40, 50])
    expect(batches).toEqual([[1], [2, 3], [4, 5]])
  })

  it("fails only the caller whose item the write refuses", async () => {
    const { write, batches, release } = heldWrite()
    const add = groupCommit(write, 100)
    const first = add(1)
    await until(() => batches.length === 1)
    const good = add(2)
    const bad = add(-1)
    release()
    await first
    await until(() => batches.length === 2)
    release()
    // the batch [2, -1] failed; each is then written alone, both at once
    await until(() => batches.length === 4)
    release()
    release()
    await expect(good).resolves.toBe(20)
    await expect(bad).rejects.toThrow("refused")
    expect(batches).toEqual([[1], [2, -1], [2], [-1]])
  })
})
