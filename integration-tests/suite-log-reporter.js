const { existsSync, readFileSync } = require("node:fs")
const path = require("node:path")

const ROOT = path.resolve(__dirname, "..")
const LOGS = path.join(ROOT, "test-artifacts", "logs")
const TAIL_LINES = 60
/** Where suite-log.ts keeps a stream's own `write` while it sends the suite's output to the file. */
const ORIGINAL_WRITE = Symbol.for("medusa-payment-paysys.suite-log.original-write")

/**
 * Jest reporter, listed before jest's own: each suite's output (Medusa's logs, console calls)
 * goes to a file of its own (suite-log.ts routes it there). When a suite ends this gives the
 * terminal back, and when it failed prints the file's tail and path, so the terminal shows
 * suites, tests and results, and the logs only where they explain a failure.
 */
class SuiteLogReporter {
  /** test-artifacts/logs/<the suite's path under integration-tests, "/" as "__">.log */
  static logPath(testPath) {
    const name = path
      .relative(path.join(ROOT, "integration-tests"), testPath)
      .replace(/\.[jt]sx?$/, "")
      .split(path.sep)
      .join("__")
    return path.join(LOGS, `${name}.log`)
  }

  onTestResult(test, result) {
    for (const stream of [process.stdout, process.stderr]) {
      if (stream[ORIGINAL_WRITE]) {
        stream.write = stream[ORIGINAL_WRITE]
        delete stream[ORIGINAL_WRITE]
      }
    }
    if (result.numFailingTests === 0 && !result.testExecError) {
      return
    }
    const file = SuiteLogReporter.logPath(test.path)
    if (!existsSync(file)) {
      return
    }
    const lines = readFileSync(file, "utf8").trimEnd().split("\n")
    const tail = lines.slice(-TAIL_LINES).join("\n")
    process.stderr.write(
      `\n── ${path.relative(ROOT, test.path)} failed: the last ${Math.min(TAIL_LINES, lines.length)} of ${lines.length} log lines (all in ${path.relative(ROOT, file)}) ──\n${tail}\n── end of ${path.relative(ROOT, file)} ──\n\n`
    )
  }
}

module.exports = SuiteLogReporter
module.exports.logPath = SuiteLogReporter.logPath
module.exports.ORIGINAL_WRITE = ORIGINAL_WRITE
