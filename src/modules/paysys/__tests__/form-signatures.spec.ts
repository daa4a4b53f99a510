import { signatureKeptMs } from "../form-signatures"

describe("how long a form callback's signature is kept", () => {
  it("with SIGN_TIME freshness on: past twice the window, when no replay can pass the freshness check", () => {
    const window = 10 * 60_000
    expect(signatureKeptMs(window)).toBeGreaterThanOrEqual(2 * window)
    expect(signatureKeptMs(window)).toBeLessThanOrEqual(2 * window + 2 * 60 * 60_000)
  })

  it("with freshness off (null): for ever, only the row refuses a replay", () => {
    expect(signatureKeptMs(null)).toBeNull()
  })
})
