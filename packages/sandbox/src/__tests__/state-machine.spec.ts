import { SANDBOX_ERRORS } from "../errors"
import {
  openThreeDs,
  payWithThreeDs,
  preparePaymentRequest,
  startTestSandbox,
  submitThreeDs,
  TestSandbox,
} from "./helpers"

const DAY = 24 * 60 * 60 * 1000

describe("PaySys sandbox payment state machine", () => {
  let sandbox: TestSandbox

  beforeAll(async () => {
    sandbox = await startTestSandbox()
  })

  afterAll(async () => {
    await sandbox.close()
  })

  const status = async (partnerTransId: string) => {
    const answer = await sandbox.rpc("paysys.check_payment", { partner_trans_id: partnerTransId })
    return answer.body.result
  }

  describe("3-D Secure", () => {
    it("moves 0 -> 1 when the page is viewed, 1 -> 2 with the right code, and redirects to redirect_url", async () => {
      const request = preparePaymentRequest({ redirect_url: "https://shop.merchant.com/order/23" })
      const prepared = await sandbox.rpc("paysys.prepare_payment", request)
      const confirmUrl = prepared.body.result.confirm_url

      const created = await status(request.partner_trans_id)
      expect(created.status).toBe("0")
      expect(created.data.RESULT).toBe("PENDING")
      expect(created.err_obj).toBeNull()

      const page = await openThreeDs(confirmUrl)
      expect(page.status).toBe(200)
      expect(page.html).toContain("3-D Secure verification")
      expect(page.html).toContain("11,390.00 UZS")
      expect(page.html).toContain("411111******1111")
      expect(page.html).not.toContain("4111111111111111")
      expect(page.html).toMatch(/<input[^>]*id="code"[^>]*name="code"/)
      expect(page.html).toMatch(/<button[^>]*id="confirm"/)
      expect(page.html).toMatch(/<button[^>]*id="cancel"[^>]*name="action"[^>]*value="cancel"/)
      expect(page.html).toContain("Sandbox: the code is <strong>123456</strong>")
      // Enter in the code field submits with the first submit button: it must be Confirm
      expect(page.html.indexOf('id="confirm"')).toBeLessThan(page.html.indexOf('id="cancel"'))
      expect((await status(request.partner_trans_id)).status).toBe("1")

      const submitted = await submitThreeDs(confirmUrl, { code: "123456" })
      expect(submitted.status).toBe(302)
      expect(submitted.location).toBe("https://shop.merchant.com/order/23")

      const paid = await status(request.partner_trans_id)
      expect(paid.status).toBe("2")
      expect(paid.data).toMatchObject({ RESULT: "OK", RESULT_CODE: "000", "3DSECURE": "AUTHENTICATED" })

      const { body } = await sandbox.control(`/transactions/${request.partner_trans_id}`)
      expect(body.transaction.history.map((e: { event: string; status: number }) => [e.event, e.status])).toEqual([
        ["created", 0],
        ["3ds_opened", 1],
        ["3ds_passed", 1],
        ["completed", 2],
      ])
    })

    it("shows a result page when there is no redirect_url", async () => {
      const prepared = await sandbox.rpc("paysys.prepare_payment", preparePaymentRequest())
      const submitted = await submitThreeDs(prepared.body.result.confirm_url, { code: "123456" })
      expect(submitted.status).toBe(200)
      expect(submitted.html).toContain('data-outcome="success"')
      expect(submitted.html).toContain("Payment completed")
    })

    it("fails the payment on a wrong code", async () => {
      const request = preparePaymentRequest()
      const prepared = await sandbox.rpc("paysys.prepare_payment", request)
      await openThreeDs(prepared.body.result.confirm_url)
      const submitted = await submitThreeDs(prepared.body.result.confirm_url, { code: "000000" })
      expect(submitted.html).toContain('data-outcome="failure"')
      expect(submitted.html).toContain("wrong 3-D Secure code")

      const failed = await status(request.partner_trans_id)
      expect(failed.status).toBe("-1")
      expect(failed.err_obj).toEqual({
        code: SANDBOX_ERRORS.THREE_DS_WRONG_CODE.code,
        message: "wrong 3-D Secure code",
      })
      expect(failed.data).toMatchObject({ RESULT: "FAILED", "3DSECURE": "FAILED" })
    })

    it("fails the payment when the cardholder presses Cancel (even without a code)", async () => {
      const request = preparePaymentRequest({ redirect_url: "https://shop.example/back" })
      const prepared = await sandbox.rpc("paysys.prepare_payment", request)
      const submitted = await submitThreeDs(prepared.body.result.confirm_url, { action: "cancel" })
      expect(submitted.status).toBe(302)
      expect(submitted.location).toBe("https://shop.example/back")
      const failed = await status(request.partner_trans_id)
      expect(failed.status).toBe("-1")
      expect(failed.err_obj).toEqual({
        code: SANDBOX_ERRORS.THREE_DS_CANCELLED.code,
        message: "cancelled by cardholder",
      })
    })

    it("answers a used page with a page saying so, and changes nothing", async () => {
      const { prepared, partnerTransId } = await payWithThreeDs(sandbox)
      const confirmUrl = prepared.body.result.confirm_url

      const again = await submitThreeDs(confirmUrl, { action: "cancel" })
      expect(again.status).toBe(410)
      expect(again.html).toContain('data-outcome="used"')
      const view = await openThreeDs(confirmUrl)
      expect(view.status).toBe(410)
      expect(view.html).toContain("already completed")
      expect((await status(partnerTransId)).status).toBe("2")
    })

    it("answers an unknown token with 404", async () => {
      const page = await openThreeDs(`${sandbox.url}/3ds/payment/${"0".repeat(32)}`)
      expect(page.status).toBe(404)
      expect(page.html).toContain('data-outcome="not-found"')
    })
  })

  describe("test cards", () => {
    it.each([
      ["4111111111111111", "2", null, "OK", "000"],
      ["5555555555554444", "2", null, "OK", "000"],
      ["2200000000000004", "2", null, "OK", "000"],
      ["4000000000000002", "-1", SANDBOX_ERRORS.DECLINED_BY_ISSUER, "FAILED", "100"],
      ["4000000000009995", "-1", SANDBOX_ERRORS.INSUFFICIENT_FUNDS, "FAILED", "116"],
      ["4000000000000101", "-1", SANDBOX_ERRORS.THREE_DS_FAILED, "FAILED", null],
      ["4012888888881881", "2", null, "OK", "000"], // any other Luhn-valid Visa
    ])(
      "%s after the right 3-D Secure code: status %s",
      async (cardNumber, expectedStatus, error, result, resultCode) => {
        const { partnerTransId } = await payWithThreeDs(sandbox, { card_number: cardNumber })
        const answer = await status(partnerTransId)
        expect(answer.status).toBe(expectedStatus)
        expect(answer.err_obj).toEqual(error ? { code: error.code, message: error.message } : null)
        expect(answer.data.RESULT).toBe(result)
        expect(answer.data.RESULT_CODE).toBe(resultCode)
        expect(answer.data.CARD_NUMBER).toBe(`${cardNumber.slice(0, 6)}******${cardNumber.slice(-4)}`)
      }
    )

    it("declines happen after 3-D Secure: a declining card is authenticated first", async () => {
      const { partnerTransId } = await payWithThreeDs(sandbox, { card_number: "4000000000000002" })
      const answer = await status(partnerTransId)
      expect(answer.data["3DSECURE"]).toBe("AUTHENTICATED")
      expect(answer.data.RRN).toMatch(/^\d{12}$/)
      expect(answer.data.APPROVAL_CODE).toBeNull()
    })
  })

  describe("cancel_payment", () => {
    it("cancels a completed payment once; the second cancel is the documented -32313", async () => {
      const { partnerTransId } = await payWithThreeDs(sandbox)
      const first = await sandbox.rpc("paysys.cancel_payment", { partner_trans_id: partnerTransId })
      const second = await sandbox.rpc("paysys.cancel_payment", { partner_trans_id: partnerTransId })
      expect(first.body.result.status).toBe("3")
      expect(second.body.error).toEqual({ code: -32313, message: "Transaction status is canceled" })
      const after = await status(partnerTransId)
      expect(after.status).toBe("3")
      expect(after.err_obj).toBeNull()
    })

    it("refuses to cancel a payment that is not completed", async () => {
      const request = preparePaymentRequest()
      await sandbox.rpc("paysys.prepare_payment", request)
      const answer = await sandbox.rpc("paysys.cancel_payment", { partner_trans_id: request.partner_trans_id })
      expect(answer.body.error.code).toBe(SANDBOX_ERRORS.CANCEL_NOT_COMPLETED.code)
      expect((await status(request.partner_trans_id)).status).toBe("0")
    })

    it("refuses to cancel a failed payment", async () => {
      const { partnerTransId } = await payWithThreeDs(sandbox, { card_number: "4000000000000002" })
      const answer = await sandbox.rpc("paysys.cancel_payment", { partner_trans_id: partnerTransId })
      expect(answer.body.error.code).toBe(SANDBOX_ERRORS.CANCEL_NOT_COMPLETED.code)
    })

    it("cancels within 7 days of the payment, not after (sandbox clock)", async () => {
      const early = await payWithThreeDs(sandbox)
      const late = await payWithThreeDs(sandbox)
      await sandbox.control("/clock", { body: { advanceMs: 6 * DAY } })
      const inWindow = await sandbox.rpc("paysys.cancel_payment", { partner_trans_id: early.partnerTransId })
      expect(inWindow.body.error).toBeNull()
      await sandbox.control("/clock", { body: { advanceMs: 1 * DAY + 60_000 } })
      const outOfWindow = await sandbox.rpc("paysys.cancel_payment", { partner_trans_id: late.partnerTransId })
      expect(outOfWindow.body.error.code).toBe(SANDBOX_ERRORS.CANCEL_WINDOW_CLOSED.code)
      expect((await status(late.partnerTransId)).status).toBe("2")
      // a refund is still possible
      const refund = await sandbox.rpc("paysys.refund_payment", {
        partner_trans_id: late.partnerTransId,
        amount: "1139000",
        currency: "uzs",
      })
      expect(refund.body.result.status).toBe("6")
    })

    it("refuses to cancel after a refund", async () => {
      const { partnerTransId } = await payWithThreeDs(sandbox)
      await sandbox.rpc("paysys.refund_payment", {
        partner_trans_id: partnerTransId,
        amount: "100000",
        currency: "uzs",
      })
      const answer = await sandbox.rpc("paysys.cancel_payment", { partner_trans_id: partnerTransId })
      expect(answer.body.error).toEqual(SANDBOX_ERRORS.CANCEL_AFTER_REFUND)
      expect((await status(partnerTransId)).status).toBe("6")
    })
  })

  describe("refund_payment", () => {
    it("accepts partial refunds summing to at most the amount, and keeps each", async () => {
      const { partnerTransId } = await payWithThreeDs(sandbox, { amount: "1000000" })
      const refund = (amount: string) =>
        sandbox.rpc("paysys.refund_payment", { partner_trans_id: partnerTransId, amount, currency: "uzs" })

      expect((await refund("300000")).body.result.status).toBe("6")
      expect((await refund("500000")).body.result.status).toBe("6")
      const tooMuch = await refund("200001")
      expect(tooMuch.body.error.code).toBe(SANDBOX_ERRORS.REFUND_EXCEEDS_AMOUNT.code)
      expect(tooMuch.body.error.message).toMatch(/^amount: /)
      expect(tooMuch.body.error.message).toContain("200000 of 1000000")
      expect((await refund("200000")).body.error).toBeNull()
      expect((await refund("1")).body.error.code).toBe(SANDBOX_ERRORS.REFUND_EXCEEDS_AMOUNT.code)

      expect((await status(partnerTransId)).status).toBe("6")
      const { body } = await sandbox.control(`/transactions/${partnerTransId}`)
      expect(body.transaction.refunds.map((r: { amount: string }) => r.amount)).toEqual(["300000", "500000", "200000"])
      expect(body.transaction.refunded_total).toBe("1000000")
      expect(body.transaction.history.filter((e: { event: string }) => e.event === "refund")).toHaveLength(3)
    })

    it("refuses another currency", async () => {
      const { partnerTransId } = await payWithThreeDs(sandbox)
      const answer = await sandbox.rpc("paysys.refund_payment", {
        partner_trans_id: partnerTransId,
        amount: "100",
        currency: "usd",
      })
      expect(answer.body.error.code).toBe(SANDBOX_ERRORS.REFUND_CURRENCY_MISMATCH.code)
      expect(answer.body.error.message).toMatch(/^currency: /)
    })

    it("refuses a canceled payment and one not completed", async () => {
      const canceled = await payWithThreeDs(sandbox)
      await sandbox.rpc("paysys.cancel_payment", { partner_trans_id: canceled.partnerTransId })
      const afterCancel = await sandbox.rpc("paysys.refund_payment", {
        partner_trans_id: canceled.partnerTransId,
        amount: "100",
        currency: "uzs",
      })
      expect(afterCancel.body.error.code).toBe(-32313)

      const pending = preparePaymentRequest()
      await sandbox.rpc("paysys.prepare_payment", pending)
      const notPaid = await sandbox.rpc("paysys.refund_payment", {
        partner_trans_id: pending.partner_trans_id,
        amount: "100",
        currency: "uzs",
      })
      expect(notPaid.body.error.code).toBe(SANDBOX_ERRORS.REFUND_NOT_COMPLETED.code)
    })
  })

  it("uses the sandbox clock for card expiry", async () => {
    const other = await startTestSandbox()
    try {
      const now = new Date()
      const yy = String(now.getUTCFullYear() % 100).padStart(2, "0")
      const mm = String(now.getUTCMonth() + 1).padStart(2, "0")
      const thisMonth = `${yy}${mm}`
      const ok = await other.rpc("paysys.prepare_payment", preparePaymentRequest({ card_expire: thisMonth }))
      expect(ok.body.error).toBeNull()
      await other.control("/clock", { body: { advanceMs: 32 * DAY } })
      const expired = await other.rpc("paysys.prepare_payment", preparePaymentRequest({ card_expire: thisMonth }))
      expect(expired.body.error).toEqual(SANDBOX_ERRORS.CARD_EXPIRED)
    } finally {
      await other.close()
    }
  })
})
