/*
 * Teardown hooks registered without a time limit get one of their own, shorter than the
 * suites' test timeouts (up to 10 minutes). The one that matters is Medusa's test runner's
 * afterEach: it polls until no workflow execution is running, so after a failed test that
 * left one stuck it would hold the suite for the whole test timeout. Two minutes is far more
 * than a healthy teardown takes on a loaded machine.
 */
const TEARDOWN_LIMIT_MS = 120_000

for (const hook of ["afterEach", "afterAll"] as const) {
  const register = globalThis[hook]
  globalThis[hook] = ((fn: jest.ProvidesHookCallback, timeout?: number) => register(fn, timeout ?? TEARDOWN_LIMIT_MS)) as typeof register
}
