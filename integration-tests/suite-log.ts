import { mkdirSync, openSync, writeSync } from "node:fs"
import path from "node:path"
import { format } from "node:util"

const { logPath, ORIGINAL_WRITE } = require("./suite-log-reporter") as {
  logPath(testPath: string): string
  ORIGINAL_WRITE: symbol
}

/*
 * Sends everything a suite writes (Medusa's logger, console calls, process.stdout/stderr) to
 * its own file, test-artifacts/logs/<suite>.log, instead of the terminal. The streams are the
 * real ones, shared with jest's reporters (--runInBand): the reporter puts their `write` back
 * when the suite ends, before jest reports it. Wrappers installed later (helpers/output.ts
 * captureOutput) still see every line: they wrap these.
 */
const file = logPath(expect.getState().testPath!)
mkdirSync(path.dirname(file), { recursive: true })
// written synchronously: the reporter reads the whole file as soon as the suite ends
const log = openSync(file, "w")

for (const stream of [process.stdout, process.stderr]) {
  const kept = stream as unknown as Record<symbol, unknown>
  kept[ORIGINAL_WRITE] ??= stream.write
  stream.write = ((chunk: string | Uint8Array, encoding?: unknown, callback?: unknown) => {
    writeSync(log, typeof chunk === "string" ? Buffer.from(chunk) : chunk)
    const done = typeof encoding === "function" ? encoding : callback
    if (typeof done === "function") {
      done()
    }
    return true
  }) as typeof stream.write
}
for (const method of ["log", "info", "warn", "error", "debug"] as const) {
  console[method] = (...args: unknown[]) => {
    writeSync(log, `${format(...args)}\n`)
  }
}
