/**
 * Environment for one suite's Medusa app. Set when the suite file loads (the app reads its
 * config before any hook of the suite runs) and restored after it: suites share one process.
 */
export function useEnv(vars: Record<string, string>) {
  const previous = Object.fromEntries(Object.keys(vars).map((key) => [key, process.env[key]]))
  Object.assign(process.env, vars)
  afterAll(() => {
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) {
        delete process.env[key]
      } else {
        process.env[key] = value
      }
    }
  })
}
