import { cardRegistrationNotification } from "../../../../src/paysys/notifications"
import { SANDBOX_ERRORS } from "../errors"
import {
  futureExpiry,
  Merchant,
  openThreeDs,
  startMerchant,
  startTestSandbox,
  submitThreeDs,
  TestSandbox,
  uniqueId,
} from "./helpers"

describe("PaySys sandbox saved cards", () => {
  let sandbox: TestSandbox
  let merchant: Merchant

  beforeAll(async () => {
    merchant = await startMerchant()
    sandbox = await startTestSandbox({ notifyUrl: merchant.url })
  })

  afterAll(async () => {
    await sandbox.close()
    await merchant.close()
  })

  beforeEach(() => {
    merchant.requests.length = 0
  })

  const register = (cardNumber: string) =>
    sandbox.rpc("mir.card_registration", {
      card_number: cardNumber,
      card_expire: futureExpiry(2, true),
      card_cvc: "123",
      card_holder: "CARDHOLDER NAME",
      account: "998123456789",
    })

  const payById = (cardId: string, token: string | undefined, overrides: Record<string, string> = {}) =>
    sandbox.rpc(
      "paysys.pay_by_id",
      {
        partner_trans_id: uniqueId("sub"),
        card_id: cardId,
        amount: "1139000",
        currency: "uzs",
        client_ip_addr: "1.1.1.1",
        description: "Month subscription",
        vendor_id: "100381",
        ...overrides,
      },
      { headers: token === undefined ? {} : { "Card-Token": token } }
    )

  /** registration -> 3-D Secure -> partner.notify SUCCESS; returns the card id and token */
  const saveCard = async (cardNumber: string) => {
    const registered = await register(cardNumber)
    await submitThreeDs(registered.body.result.confirm_url, { code: "123456" })
    const [notification] = await merchant.waitFor(1)
    merchant.requests.length = 0
    return { cardId: registered.body.result.card_id as string, token: notification.body.params.token as string }
  }

  it("registration -> 3-D Secure -> partner.notify SUCCESS -> pay_by_id with Card-Token -> remove_card_token", async () => {
    const registered = await register("2200000000000004")
    expect(registered.body.error).toBeNull()
    const cardId = registered.body.result.card_id

    const page = await openThreeDs(registered.body.result.confirm_url)
    expect(page.status).toBe(200)
    expect(page.html).toContain("Card registration (no charge)")
    expect(page.html).toContain("220000******0004")

    const submitted = await submitThreeDs(registered.body.result.confirm_url, { code: "123456" })
    expect(submitted.status).toBe(200)
    expect(submitted.html).toContain("Card saved")

    const [notification] = await merchant.waitFor(1)
    expect(notification.headers["content-type"]).toBe("application/json")
    expect(notification.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      method: "partner.notify",
      params: { stat: "SUCCESS", id: cardId, token: expect.stringMatching(/^[0-9a-f]{40}$/), pan: "220000******0004" },
    })
    expect(cardRegistrationNotification.parse(notification.body).params.stat).toBe("SUCCESS")
    const token = notification.body.params.token

    const missingToken = await payById(cardId, undefined)
    expect(missingToken.body.error).toEqual(SANDBOX_ERRORS.CARD_TOKEN_MISMATCH)
    const wrongToken = await payById(cardId, "f".repeat(40))
    expect(wrongToken.body.error).toEqual(SANDBOX_ERRORS.CARD_TOKEN_MISMATCH)

    const partnerTransId = uniqueId("sub")
    const paid = await payById(cardId, token, { partner_trans_id: partnerTransId })
    expect(paid.body.error).toBeNull()
    expect(paid.body.result.details.amount).toBe("11390,00")
    const checked = await sandbox.rpc("paysys.check_payment", { partner_trans_id: partnerTransId })
    expect(checked.body.result.status).toBe("2")
    expect(checked.body.result.data["3DSECURE"]).toBe("NOT_PARTICIPATED")
    expect(checked.body.result.transaction_id).toBe(paid.body.result.details.transaction_id)

    // the charge is announced like any other
    const [statusNotification] = await merchant.waitFor(2).then((all) => all.slice(1))
    expect(statusNotification.body).toMatchObject({ account: partnerTransId, status: 2, amount: 1139000 })

    // a duplicate partner_trans_id is what prevents a double charge
    const again = await payById(cardId, token, { partner_trans_id: partnerTransId })
    expect(again.body.error).toEqual(SANDBOX_ERRORS.DUPLICATE_PARTNER_TRANS_ID)

    const wrongRemoval = await sandbox.rpc("mir.remove_card_token", { card_id: cardId, card_token: "0".repeat(40) })
    expect(wrongRemoval.body.error).toEqual(SANDBOX_ERRORS.CARD_TOKEN_MISMATCH)
    const removed = await sandbox.rpc("mir.remove_card_token", { card_id: cardId, card_token: token })
    expect(removed.body.result).toEqual({ pan: "220000******0004" })

    const afterRemoval = await payById(cardId, token)
    expect(afterRemoval.body.error).toEqual(SANDBOX_ERRORS.CARD_NOT_FOUND)
    const removedAgain = await sandbox.rpc("mir.remove_card_token", { card_id: cardId, card_token: token })
    expect(removedAgain.body.error).toEqual(SANDBOX_ERRORS.CARD_NOT_FOUND)

    const { body } = await sandbox.control(`/cards/${cardId}`)
    expect(body.card.status).toBe("removed")
    expect(body.card.history.map((e: { event: string }) => e.event)).toEqual([
      "created",
      "3ds_opened",
      "3ds_passed",
      "removed",
    ])
  })

  it("sends partner.notify ERROR when 3-D Secure fails, and the card cannot be charged", async () => {
    const registered = await register("5555555555554444")
    const cardId = registered.body.result.card_id
    const submitted = await submitThreeDs(registered.body.result.confirm_url, { code: "999999" })
    expect(submitted.html).toContain("Card not saved")

    const [notification] = await merchant.waitFor(1)
    expect(notification.body).toEqual({
      id: expect.any(String),
      method: "partner.notify",
      params: { stat: "ERROR", id: cardId, code: "-34000", message: "Card registration failed: wrong 3-D Secure code" },
    })
    expect(cardRegistrationNotification.parse(notification.body).params.stat).toBe("ERROR")
    expect((await payById(cardId, "0".repeat(40))).body.error).toEqual(SANDBOX_ERRORS.CARD_NOT_FOUND)
  })

  it("sends ERROR for the 3-D Secure failing card whatever the code, and for Cancel", async () => {
    const failing = await register("4000000000000101")
    await submitThreeDs(failing.body.result.confirm_url, { code: "123456" })
    const cancelled = await register("4111111111111111")
    await submitThreeDs(cancelled.body.result.confirm_url, { action: "cancel" })
    const [first, second] = await merchant.waitFor(2)
    expect(first.body.params).toMatchObject({
      stat: "ERROR",
      id: failing.body.result.card_id,
      message: expect.stringContaining("3-D Secure authentication failed"),
    })
    expect(second.body.params).toMatchObject({
      stat: "ERROR",
      id: cancelled.body.result.card_id,
      message: expect.stringContaining("cancelled by cardholder"),
    })
  })

  it("refuses pay_by_id before the card's 3-D Secure is done", async () => {
    const registered = await register("4111111111111111")
    const answer = await payById(registered.body.result.card_id, "0".repeat(40))
    expect(answer.body.error).toEqual(SANDBOX_ERRORS.CARD_NOT_ACTIVE)
  })

  it.each([
    ["4000000000000002", SANDBOX_ERRORS.DECLINED_BY_ISSUER],
    ["4000000000009995", SANDBOX_ERRORS.INSUFFICIENT_FUNDS],
  ])("a card saved from %s declines pay_by_id: error, status -1, notification -1", async (cardNumber, error) => {
    const { cardId, token } = await saveCard(cardNumber)
    const partnerTransId = uniqueId("declined")
    const answer = await payById(cardId, token, { partner_trans_id: partnerTransId })
    expect(answer.body.error).toEqual({ code: error.code, message: error.message })
    expect(answer.body.result).toBeNull()

    const checked = await sandbox.rpc("paysys.check_payment", { partner_trans_id: partnerTransId })
    expect(checked.body.result.status).toBe("-1")
    expect(checked.body.result.err_obj).toEqual({ code: error.code, message: error.message })
    const [notification] = await merchant.waitFor(1)
    expect(notification.body).toMatchObject({ account: partnerTransId, status: -1 })
  })

  it("refuses pay_by_id with another vendor_id or outside the limits", async () => {
    const { cardId, token } = await saveCard("4111111111111111")
    expect((await payById(cardId, token, { vendor_id: "101478" })).body.error).toEqual(SANDBOX_ERRORS.VENDOR_MISMATCH)
    expect((await payById(cardId, token, { amount: "100" })).body.error.code).toBe(
      SANDBOX_ERRORS.AMOUNT_OUT_OF_LIMITS.code
    )
    expect((await payById(cardId, token, { currency: "gbp" })).body.error.code).toBe(SANDBOX_ERRORS.INVALID_PARAMS.code)
  })

  it("refuses a card_expire not in YY/MM", async () => {
    const answer = await sandbox.rpc("mir.card_registration", {
      card_number: "4111111111111111",
      card_expire: "2706",
      card_cvc: "123",
      card_holder: "CARDHOLDER NAME",
      account: "998123456789",
    })
    expect(answer.body.error.message).toBe("Invalid params: card_expire: must be YY/MM")
  })

  it("GET /__sandbox/cards lists the cards with their token (sandbox-only), never the number", async () => {
    const { cardId, token } = await saveCard("5555555555554444")
    const { body } = await sandbox.control("/cards")
    const card = body.cards.find((c: { card_id: string }) => c.card_id === cardId)
    expect(card).toMatchObject({
      status: "active",
      token,
      card: { masked: "555555******4444", brand: "mastercard", behaviour: "approve" },
    })
    expect(JSON.stringify(body)).not.toContain("5555555555554444")
  })
})
