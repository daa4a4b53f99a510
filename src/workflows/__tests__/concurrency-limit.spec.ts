import { concurrencyLimit } from "../concurrency-limit"

describe("concurrencyLimit", () => {
  it("runs at most `limit` at once, all of them, in the order they came, through failures", async () => {
    const run = concurrencyLimit(2)
    let running = 0
    let most = 0
    const started: number[] = []
    const gates = Array.from({ length: 5 }, () => {
      let open!: () => void
      const gate = new Promise<void>((resolve) => (open = resolve))
      return { gate, open }
    })
    const results = gates.map(({ gate }, i) =>
      run(async () => {
        started.push(i)
        running++
        most = Math.max(most, running)
        await gate
        running--
        if (i === 1) {
          throw new Error("failed")
        }
        return i
      }).catch((error: Error) => error.message)
    )
    await new Promise((resolve) => setImmediate(resolve))
    expect(started).toEqual([0, 1])
    gates.forEach(({ open }) => open())
    expect(await Promise.all(results)).toEqual([0, "failed", 2, 3, 4])
    expect(started).toEqual([0, 1, 2, 3, 4])
    expect(most).toBe(2)
  })
})
