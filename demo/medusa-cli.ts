import { ChildProcess, fork } from "node:child_process"
import { createWriteStream, WriteStream } from "node:fs"
import path from "node:path"
import { stripVTControlCharacters } from "node:util"
import { DemoError, REPO_ROOT } from "./shared"

/* Medusa's own CLI run on this repository as an app, its output to a log file. */

const MEDUSA_CLI = require.resolve("@medusajs/cli/cli.js")
const EXIT_WITH_PARENT = path.join(__dirname, "exit-with-parent.js")

/** Medusa's output: all of it in a file, its last lines in memory for errors. */
export class MedusaOutput {
  private readonly file: WriteStream
  private recent: string[] = []
  private partial = ""

  constructor(readonly path: string) {
    this.file = createWriteStream(path, { flags: "w" })
  }

  write(chunk: Buffer | string) {
    this.file.write(chunk)
    const lines = (this.partial + String(chunk)).split("\n")
    this.partial = lines.pop() ?? ""
    this.recent.push(...lines)
    this.recent.splice(0, Math.max(0, this.recent.length - 60))
  }

  /** the last lines, without colours */
  tail(count = 40) {
    return [...this.recent, this.partial]
      .map((line) => stripVTControlCharacters(line).trimEnd())
      .filter(Boolean)
      .slice(-count)
      .join("\n")
  }

  end() {
    return new Promise<void>((resolve) => this.file.end(resolve))
  }
}

/** `medusa <args>` in a process group of its own, stopping when its parent dies. */
export function forkMedusa(args: string[], env: NodeJS.ProcessEnv, output: MedusaOutput): ChildProcess {
  output.write(`\n$ medusa ${args.join(" ")}\n`)
  const child = fork(MEDUSA_CLI, args, {
    cwd: REPO_ROOT,
    env,
    execArgv: ["-r", EXIT_WITH_PARENT],
    // a group of its own: Ctrl-C reaches the demo, which stops Medusa before PostgreSQL
    detached: true,
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  })
  child.stdout?.on("data", (chunk) => output.write(chunk))
  child.stderr?.on("data", (chunk) => output.write(chunk))
  return child
}

/**
 * A Medusa command run to its end (`what` names it in errors); rejects with the output's last
 * lines unless it exits 0. `started` is told of the process, to stop it on an interruption.
 */
export function runMedusaCommand(
  what: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  output: MedusaOutput,
  started?: (child: ChildProcess) => void
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const child = forkMedusa(args, env, output)
    started?.(child)
    // "close": the output is all read by then
    child.once("close", (code, signal) => {
      if (code === 0) {
        resolve()
      } else {
        reject(
          new DemoError(
            `${what} failed (${signal ?? `exit code ${code}`}):\n${output.tail()}`,
            `the full output is in ${output.path}`
          )
        )
      }
    })
  })
}
