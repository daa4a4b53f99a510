import { signAuthHeader } from "../../../../src/paysys/auth"
import { paymentStatusResult, payByIdResult, preparePaymentResult } from "../../../../src/paysys/schemas"
import { SANDBOX_ERRORS } from "../errors"
import { futureExpiry, payWithThreeDs, preparePaymentRequest, startTestSandbox, TestSandbox, uniqueId } from "./helpers"

describe("PaySys sandbox gateway", () => {
  let sandbox: TestSandbox

  beforeAll(async () => {
    sandbox = await startTestSandbox()
  })

  afterAll(async () => {
    await sandbox.close()
  })

  describe("envelope", () => {
    it("answers prepare_payment like the documented example: id echoed, error null, string transaction_id, 32-hex mx_id", async () => {
      const request = preparePaymentRequest({ redirect_url: "https://shop.merchant.com/order/23" })
      const answer = await sandbox.rpc("paysys.prepare_payment", request, {
        id: "85e0cd56-52c9-4709-b558-81203cb4e6ff",
      })

      expect(answer.httpStatus).toBe(200)
      expect(Object.keys(answer.body)).toEqual(["id", "error", "result", "mx_id"])
      expect(answer.body.id).toBe("85e0cd56-52c9-4709-b558-81203cb4e6ff")
      expect(answer.body.error).toBeNull()
      expect(answer.body.mx_id).toMatch(/^[0-9a-f]{32}$/)
      expect(answer.body.result.transaction_id).toMatch(/^\d+$/)
      expect(typeof answer.body.result.transaction_id).toBe("string")
      expect(answer.body.result.confirm_url).toMatch(new RegExp(`^${sandbox.url}/3ds/payment/[0-9a-f]{32}$`))
      expect(() => preparePaymentResult.parse(answer.body.result)).not.toThrow()
      expect(answer.raw).not.toContain("4111111111111111")
    })

    it("gives every call a new mx_id and echoes numeric ids", async () => {
      const a = await sandbox.rpc("paysys.check_payment", { partner_trans_id: "nope" }, { id: 2 })
      const b = await sandbox.rpc("paysys.check_payment", { partner_trans_id: "nope" }, { id: 3 })
      expect(a.body.id).toBe(2)
      expect(b.body.id).toBe(3)
      expect(a.body.mx_id).not.toBe(b.body.mx_id)
    })

    it("answers an unknown method with METHOD_NOT_FOUND", async () => {
      const answer = await sandbox.rpc("paysys.make_coffee", {})
      expect(answer.body.error).toEqual({
        code: SANDBOX_ERRORS.METHOD_NOT_FOUND.code,
        message: "Method not found: paysys.make_coffee",
      })
      expect(answer.body.result).toBeNull()
    })

    it("answers a body that is not JSON with PARSE_ERROR", async () => {
      const response = await fetch(sandbox.gatewayUrl, {
        method: "POST",
        headers: { Auth: signAuthHeader("sandbox-service", "sandbox-secret"), "Content-Type": "application/json" },
        body: "{not json",
      })
      const body = await response.json()
      expect(response.status).toBe(200)
      expect(body.error.code).toBe(SANDBOX_ERRORS.PARSE_ERROR.code)
      expect(body.id).toBeNull()
    })

    it("refuses params that are not an object", async () => {
      const answer = await sandbox.rpc("paysys.check_payment", ["167075"])
      expect(answer.body.error.code).toBe(SANDBOX_ERRORS.INVALID_REQUEST.code)
    })

    it("refuses GET on /gateway", async () => {
      const response = await fetch(sandbox.gatewayUrl)
      expect(response.status).toBe(405)
    })
  })

  describe("Auth header", () => {
    const params = { partner_trans_id: "167075" }

    it("refuses a missing header", async () => {
      const answer = await sandbox.rpc("paysys.check_payment", params, { auth: null })
      expect(answer.body.error).toEqual(SANDBOX_ERRORS.AUTH_MALFORMED)
    })

    it("refuses a malformed header", async () => {
      const answer = await sandbox.rpc("paysys.check_payment", params, { auth: "sandbox-service:secret" })
      expect(answer.body.error.code).toBe(SANDBOX_ERRORS.AUTH_MALFORMED.code)
    })

    it("refuses an unknown service id", async () => {
      const answer = await sandbox.rpc("paysys.check_payment", params, {
        auth: signAuthHeader("someone-else", "sandbox-secret"),
      })
      expect(answer.body.error).toEqual(SANDBOX_ERRORS.AUTH_UNKNOWN_SERVICE)
    })

    it("refuses a wrong hash", async () => {
      const answer = await sandbox.rpc("paysys.check_payment", params, {
        auth: signAuthHeader("sandbox-service", "wrong-secret"),
      })
      expect(answer.body.error).toEqual(SANDBOX_ERRORS.AUTH_BAD_HASH)
    })

    it("refuses a timestamp older than the tolerance, and says so", async () => {
      const stale = Date.now() - 301_000
      const answer = await sandbox.rpc("paysys.check_payment", params, {
        auth: signAuthHeader("sandbox-service", "sandbox-secret", stale),
      })
      expect(answer.body.error.code).toBe(SANDBOX_ERRORS.AUTH_STALE_TIMESTAMP.code)
      expect(answer.body.error.message).toMatch(/at most 300000 ms/)
    })

    it("refuses a timestamp in seconds with a hint", async () => {
      const seconds = Math.floor(Date.now() / 1000)
      const answer = await sandbox.rpc("paysys.check_payment", params, {
        auth: signAuthHeader("sandbox-service", "sandbox-secret", seconds),
      })
      expect(answer.body.error.code).toBe(SANDBOX_ERRORS.AUTH_STALE_TIMESTAMP.code)
      expect(answer.body.error.message).toMatch(/milliseconds/)
    })

    it("accepts a timestamp within the tolerance", async () => {
      const slightlyOld = Date.now() - 60_000
      const answer = await sandbox.rpc("paysys.check_payment", params, {
        auth: signAuthHeader("sandbox-service", "sandbox-secret", slightlyOld),
      })
      // authenticated: the answer is about the (unknown) transaction, not the header
      expect(answer.body.error).toEqual(SANDBOX_ERRORS.TRANSACTION_NOT_FOUND)
    })

    it("uses the configured credentials", async () => {
      const other = await startTestSandbox({ serviceId: "shop-7", secretKey: "s3cr3t" })
      try {
        const ok = await other.rpc("paysys.check_payment", params, { auth: signAuthHeader("shop-7", "s3cr3t") })
        const refused = await other.rpc("paysys.check_payment", params, {
          auth: signAuthHeader("sandbox-service", "sandbox-secret"),
        })
        expect(ok.body.error).toEqual(SANDBOX_ERRORS.TRANSACTION_NOT_FOUND)
        expect(refused.body.error).toEqual(SANDBOX_ERRORS.AUTH_UNKNOWN_SERVICE)
      } finally {
        await other.close()
      }
    })
  })

  describe("params validation", () => {
    it("names the invalid field and never echoes the card number", async () => {
      const answer = await sandbox.rpc(
        "paysys.prepare_payment",
        preparePaymentRequest({ card_number: "4111-1111-1111-1111", card_cvc: "12" })
      )
      expect(answer.body.error.code).toBe(SANDBOX_ERRORS.INVALID_PARAMS.code)
      expect(answer.body.error.message).toContain("card_number")
      expect(answer.body.error.message).toContain("card_cvc")
      expect(answer.raw).not.toMatch(/4111/)
    })

    it("names a missing field", async () => {
      const { amount: _amount, ...withoutAmount } = preparePaymentRequest()
      const answer = await sandbox.rpc("paysys.prepare_payment", withoutAmount)
      expect(answer.body.error.message).toMatch(/^Invalid params: amount: /)
    })

    it("refuses a card that fails Luhn, without echoing it", async () => {
      // the documented example card 4278000000275400 does not pass Luhn
      const answer = await sandbox.rpc(
        "paysys.prepare_payment",
        preparePaymentRequest({ card_number: "4278000000275400" })
      )
      expect(answer.body.error).toEqual(SANDBOX_ERRORS.CARD_NUMBER_INVALID)
      expect(answer.raw).not.toContain("4278000000275400")
    })

    it("refuses a brand PaySys does not take (Amex)", async () => {
      const answer = await sandbox.rpc(
        "paysys.prepare_payment",
        preparePaymentRequest({ card_number: "378282246310005" })
      )
      expect(answer.body.error).toEqual(SANDBOX_ERRORS.CARD_BRAND_UNSUPPORTED)
    })

    it("refuses an expired card", async () => {
      const answer = await sandbox.rpc("paysys.prepare_payment", preparePaymentRequest({ card_expire: "2001" }))
      expect(answer.body.error).toEqual(SANDBOX_ERRORS.CARD_EXPIRED)
    })

    it("refuses another vendor_id", async () => {
      const answer = await sandbox.rpc("paysys.prepare_payment", preparePaymentRequest({ vendor_id: "999" }))
      expect(answer.body.error).toEqual(SANDBOX_ERRORS.VENDOR_MISMATCH)
    })

    it.each([
      ["uzs", "99999", "at least 1000 UZS"],
      ["uzs", "7500000001", "at most 75000000 UZS"],
      ["usd", "500001", "at most 5000 USD"],
      ["eur", "99", "at least 1 EUR"],
    ])("refuses %s %s (outside the limits)", async (currency, amount, text) => {
      const answer = await sandbox.rpc("paysys.prepare_payment", preparePaymentRequest({ currency, amount }))
      expect(answer.body.error.code).toBe(SANDBOX_ERRORS.AMOUNT_OUT_OF_LIMITS.code)
      expect(answer.body.error.message).toContain(text)
    })

    it("accepts rub without a maximum", async () => {
      const answer = await sandbox.rpc(
        "paysys.prepare_payment",
        preparePaymentRequest({ currency: "rub", amount: "99999999999" })
      )
      expect(answer.body.error).toBeNull()
    })

    it("refuses a duplicate partner_trans_id", async () => {
      const request = preparePaymentRequest()
      const first = await sandbox.rpc("paysys.prepare_payment", request)
      const second = await sandbox.rpc("paysys.prepare_payment", request)
      expect(first.body.error).toBeNull()
      expect(second.body.error).toEqual(SANDBOX_ERRORS.DUPLICATE_PARTNER_TRANS_ID)
    })
  })

  describe("happy paths of every method", () => {
    it("check_payment answers like the documented example once paid", async () => {
      const { partnerTransId, prepared } = await payWithThreeDs(sandbox)
      const answer = await sandbox.rpc(
        "paysys.check_payment",
        { partner_trans_id: partnerTransId },
        { id: "f23eb612-9ea6-4ee2-97c3-33f6b5f38c17" }
      )
      expect(answer.body.error).toBeNull()
      expect(answer.body.result).toEqual({
        transaction_id: prepared.body.result.transaction_id,
        partner_trans_id: partnerTransId,
        status: "2",
        data: {
          RESULT: "OK",
          RESULT_CODE: "000",
          "3DSECURE": "AUTHENTICATED",
          RRN: expect.stringMatching(/^\d{12}$/),
          APPROVAL_CODE: expect.stringMatching(/^\d{6}$/),
          CARD_NUMBER: "411111******1111",
        },
        err_obj: null,
      })
      expect(paymentStatusResult.parse(answer.body.result).status).toBe(2)
    })

    it("check_payment of an unknown partner_trans_id is an error", async () => {
      const answer = await sandbox.rpc("paysys.check_payment", { partner_trans_id: "does-not-exist" })
      expect(answer.body.error).toEqual(SANDBOX_ERRORS.TRANSACTION_NOT_FOUND)
    })

    it("cancel_payment answers like the documented example", async () => {
      const { partnerTransId, prepared } = await payWithThreeDs(sandbox)
      const answer = await sandbox.rpc(
        "paysys.cancel_payment",
        { partner_trans_id: partnerTransId },
        { id: "73a32f5c-9dca-446e-afa9-22eb5602954c" }
      )
      expect(answer.body).toEqual({
        id: "73a32f5c-9dca-446e-afa9-22eb5602954c",
        error: null,
        result: {
          transaction_id: prepared.body.result.transaction_id,
          partner_trans_id: partnerTransId,
          status: "3",
          data: {},
        },
        mx_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      })
    })

    it("refund_payment answers like cancel with status 6 (documented request)", async () => {
      const { partnerTransId, prepared } = await payWithThreeDs(sandbox)
      const answer = await sandbox.rpc("paysys.refund_payment", {
        partner_trans_id: partnerTransId,
        amount: "113305",
        currency: "uzs",
      })
      expect(answer.body.error).toBeNull()
      expect(answer.body.result).toEqual({
        transaction_id: prepared.body.result.transaction_id,
        partner_trans_id: partnerTransId,
        status: "6",
        data: {},
      })
    })

    it("card_registration, remove_card_token and pay_by_id answer like the documented examples", async () => {
      const registered = await sandbox.rpc(
        "mir.card_registration",
        {
          card_number: "2200000000000004",
          card_expire: futureExpiry(3, true),
          card_cvc: "123",
          card_holder: "CARDHOLDER NAME",
          account: "998123456789",
        },
        { id: 2 }
      )
      expect(registered.body.error).toBeNull()
      expect(registered.body.id).toBe(2)
      expect(registered.body.result.card_id).toMatch(/^[0-9a-f]{32}$/)
      expect(registered.body.result.confirm_url).toMatch(new RegExp(`^${sandbox.url}/3ds/card/[0-9a-f]{32}$`))

      const form = new URLSearchParams({ code: "123456", action: "confirm" })
      await fetch(registered.body.result.confirm_url, { method: "POST", body: form })
      const { body: cards } = await sandbox.control(`/cards/${registered.body.result.card_id}`)
      const token = cards.card.token as string
      expect(token).toMatch(/^[0-9a-f]{40}$/)

      const partnerTransId = "39888c6d-bbb9-4044-97a6-bec2d85dd6c10"
      const paid = await sandbox.rpc(
        "paysys.pay_by_id",
        {
          partner_trans_id: partnerTransId,
          card_id: registered.body.result.card_id,
          amount: "10000",
          currency: "RUB",
          client_ip_addr: "1.1.1.1",
          description: "TEST",
          vendor_id: "100381",
        },
        { headers: { "Card-Token": token }, id: "f23eb612-9ea6-4ee2-97c3-33f6b5f38c17" }
      )
      expect(paid.body.error).toBeNull()
      expect(paid.body.result).toEqual({
        details: {
          id: expect.any(Number),
          masked_card_number: "220000******0004",
          transaction_id: expect.stringMatching(/^\d+$/),
          bank_transaction_id: expect.any(Number),
          amount: "100,00",
          merchantId: null,
          terminalId: null,
          date: expect.any(Number),
        },
        payment_id: 27,
      })
      expect(String(paid.body.result.details.id)).toMatch(/^\d{12}$/)
      expect(Math.abs(paid.body.result.details.date - Date.now() / 1000)).toBeLessThan(60)
      expect(() => payByIdResult.parse(paid.body.result)).not.toThrow()

      const removed = await sandbox.rpc(
        "mir.remove_card_token",
        { card_id: registered.body.result.card_id, card_token: token },
        { id: "288175fc-6d5b-4179-b598-defec67abbaa" }
      )
      expect(removed.body.error).toBeNull()
      expect(removed.body.result).toEqual({ pan: "220000******0004" })
    })
  })

  it("keeps no card number anywhere it shows", async () => {
    const { partnerTransId } = await payWithThreeDs(sandbox, {
      card_number: "5555555555554444",
      partner_trans_id: uniqueId("pan"),
    })
    const everything = JSON.stringify([
      (await sandbox.control("/transactions")).body,
      (await sandbox.control("/calls")).body,
      (await sandbox.control(`/transactions/${partnerTransId}`)).body,
    ])
    expect(everything).toContain("555555******4444")
    expect(everything).not.toContain("5555555555554444")
    expect(everything).not.toContain('"card_cvc":')
    expect(everything).not.toContain('"card_number":')
  })
})
