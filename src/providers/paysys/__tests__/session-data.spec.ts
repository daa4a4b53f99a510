import { CARD_DECLINED } from "../../../paysys"
import { attemptFixture } from "../../../modules/paysys/__tests__/attempt-fixture"
import { PaysysSessionData, withAttempt } from "../session-data"

const current: PaysysSessionData = {
  session_id: "payses_1",
  partner_trans_id: "payses_1-1",
  attempt: 1,
  amount: "14500000",
  currency: "uzs",
  refunds: [],
}

const declined = attemptFixture({
  state: "failed",
  paysys_status: -1,
  bank: {
    card_masked: "400000******0002",
    three_ds: "AUTHENTICATED",
    error: { code: -31630, message: "Declined by the card issuer" },
  },
})

describe("a declined attempt in payment_session.data", () => {
  it("says card_declined and nothing of PaySys's reason or how 3-D Secure ended", () => {
    const data = withAttempt(current, declined)
    expect(data.error).toEqual(CARD_DECLINED)
    expect(data.three_ds).toBeNull()
    expect(data.card_masked).toBe("400000******0002")
    expect(JSON.stringify(data)).not.toMatch(/issuer|31630|AUTHENTICATED/)
  })

  it("carries PaySys's code and reason with detailedDeclines (development)", () => {
    const data = withAttempt(current, declined, { detailedDeclines: true })
    expect(data.error).toEqual({ code: -31630, message: "Declined by the card issuer" })
    expect(data.three_ds).toBe("AUTHENTICATED")
  })

  it("keeps 3-D Secure's result on an attempt that did not fail", () => {
    const paid = attemptFixture({
      state: "paid",
      paysys_status: 2,
      bank: { three_ds: "AUTHENTICATED", rrn: "123456789012" },
    })
    expect(withAttempt(current, paid)).toMatchObject({ error: null, three_ds: "AUTHENTICATED", rrn: "123456789012" })
  })
})
