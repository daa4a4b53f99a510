/**
 * Records everything the process writes to stdout, stderr and the console from now on
 * (Medusa's logger included), still passing it through, so a test can search the logs.
 */
export function captureOutput() {
  const chunks: string[] = []
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"))
      return write(chunk, ...rest)
    }) as typeof stream.write
  }
  // jest routes console.* through its own buffer, not through process.stdout
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    const original = console[method].bind(console)
    console[method] = (...args: unknown[]) => {
      chunks.push(args.map((arg) => (typeof arg === "string" ? arg : safeStringify(arg))).join(" "))
      original(...args)
    }
  }
  return { text: () => chunks.join("\n") }
}

function safeStringify(value: unknown): string {
  try {
    return value instanceof Error ? `${value.message}\n${value.stack}` : JSON.stringify(value)
  } catch {
    return String(value)
  }
}
