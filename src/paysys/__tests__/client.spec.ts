import { PaysysClient, PaysysError, PaysysLogger, PaysysTransportError, PaysysValidationError } from ".."
import {
  futureExpiry,
  openThreeDs,
  startMerchant,
  startTestSandbox,
  submitThreeDs,
  TestSandbox,
  uniqueId,
} from "../../../packages/sandbox/src/__tests__/helpers"
import { freePortForTest } from "./free-port"

/** The client against the sandbox over real HTTP: every method, every error path. */
describe("PaysysClient against the sandbox", () => {
  let sandbox: TestSandbox
  let lines: string[]
  let client: PaysysClient

  const logger: PaysysLogger = {
    debug: (line) => lines.push(line),
    warn: (line) => lines.push(line),
  }
  const makeClient = (overrides: Partial<ConstructorParameters<typeof PaysysClient>[0]> = {}) =>
    new PaysysClient({
      gatewayUrl: sandbox.gatewayUrl,
      serviceId: sandbox.credentials.serviceId,
      secretKey: sandbox.credentials.secretKey,
      timeoutMs: 2000,
      retryDelayMs: 10,
      logger,
      ...overrides,
    })

  const card = (number = "4111111111111111") => ({
    card_holder_name: "AZIZ KARIMOV",
    card_number: number,
    card_expire: futureExpiry(),
    card_cvc: "737",
  })
  const payment = (overrides: Record<string, string> = {}) => ({
    ...card(),
    amount: "1139000",
    currency: "uzs",
    vendor_id: sandbox.credentials.vendorId,
    partner_trans_id: uniqueId("client"),
    client_ip_addr: "192.4.59.3",
    description: "Month subscription",
    redirect_url: "https://shop.example.uz/return",
    ...overrides,
  })
  const calls = async (method: string) => (await sandbox.control(`/calls?method=${method}`)).body.calls.length as number

  async function completedPayment(overrides: Record<string, string> = {}) {
    const params = payment(overrides)
    const prepared = await client.preparePayment(params)
    await openThreeDs(prepared.confirm_url)
    await submitThreeDs(prepared.confirm_url, { code: sandbox.credentials.threeDsCode })
    return params.partner_trans_id
  }

  beforeAll(async () => {
    sandbox = await startTestSandbox()
  })
  afterAll(async () => {
    await sandbox.close()
  })
  beforeEach(async () => {
    lines = []
    client = makeClient()
    await sandbox.control("/faults", { method: "DELETE" })
  })
  afterEach(() => {
    // nothing the client logged may carry card data
    const logged = lines.join("\n")
    expect(logged).not.toMatch(/4111111111111111|5555555555554444|(^|[^0-9a-f])737([^0-9a-f]|$)/)
  })

  it("prepare_payment and check_payment: 3-D Secure, then completed with RRN", async () => {
    const params = payment()
    const prepared = await client.preparePayment(params)
    expect(prepared).toMatchObject({
      transaction_id: expect.any(String),
      confirm_url: expect.stringContaining("/3ds/"),
    })
    expect(prepared.mx_id).toMatch(/^[0-9a-f]{32}$/)
    expect((await client.checkPayment({ partner_trans_id: params.partner_trans_id })).status).toBe(0)

    await openThreeDs(prepared.confirm_url)
    await submitThreeDs(prepared.confirm_url, { code: sandbox.credentials.threeDsCode })
    const checked = await client.checkPayment({ partner_trans_id: params.partner_trans_id })
    expect(checked).toMatchObject({
      transaction_id: prepared.transaction_id,
      partner_trans_id: params.partner_trans_id,
      status: 2,
      err_obj: null,
      data: { RRN: expect.stringMatching(/^\d{12}$/), CARD_NUMBER: "411111******1111" },
    })
  })

  it("cancel_payment reverses once; refund_payment refunds up to the amount", async () => {
    const canceledId = await completedPayment()
    expect((await client.cancelPayment({ partner_trans_id: canceledId })).status).toBe(3)
    const again = await client.cancelPayment({ partner_trans_id: canceledId }).catch((e) => e)
    expect(again).toBeInstanceOf(PaysysError)
    expect(again.code).toBe(-32313)

    const refundedId = await completedPayment()
    const refund = (amount: string) => client.refundPayment({ partner_trans_id: refundedId, amount, currency: "uzs" })
    expect((await refund("139000")).status).toBe(6)
    expect((await refund("1000000")).status).toBe(6)
    const over = await refund("1").catch((e) => e)
    expect(over).toBeInstanceOf(PaysysError)
    expect(over.mxId).toMatch(/^[0-9a-f]{32}$/)
  })

  it("mir.card_registration, partner.notify, pay_by_id with Card-Token, mir.remove_card_token", async () => {
    const merchant = await startMerchant()
    await sandbox.control("/config", { body: { cardNotifyUrl: merchant.url } })
    try {
      const registered = await client.registerCard({
        card_number: "5555555555554444",
        card_expire: futureExpiry(3, true),
        card_cvc: "737",
        card_holder: "AZIZ KARIMOV",
        account: "998901234567",
      })
      await openThreeDs(registered.confirm_url)
      await submitThreeDs(registered.confirm_url, { code: sandbox.credentials.threeDsCode })
      const [notify] = await merchant.waitFor(1)
      expect(notify.body).toMatchObject({
        method: "partner.notify",
        params: { stat: "SUCCESS", id: registered.card_id },
      })
      const token: string = notify.body.params.token

      const partnerTransId = uniqueId("saved")
      const paid = await client.payById(
        {
          partner_trans_id: partnerTransId,
          card_id: registered.card_id,
          amount: "100",
          currency: "RUB",
          client_ip_addr: "1.1.1.1",
          description: "TEST",
          vendor_id: sandbox.credentials.vendorId,
        },
        token
      )
      expect(paid.details).toMatchObject({ masked_card_number: "555555******4444", amount: "1,00" })
      expect((await client.checkPayment({ partner_trans_id: partnerTransId })).status).toBe(2)

      const wrongToken = await client
        .payById(
          {
            partner_trans_id: uniqueId(),
            card_id: registered.card_id,
            amount: "100",
            currency: "rub",
            client_ip_addr: "1.1.1.1",
            description: "x",
            vendor_id: sandbox.credentials.vendorId,
          },
          "0".repeat(40)
        )
        .catch((e) => e)
      expect(wrongToken).toBeInstanceOf(PaysysError)
      expect(wrongToken.message).not.toContain(token)

      const removed = await client.removeCardToken({ card_id: registered.card_id, card_token: token })
      expect(removed.pan).toBe("555555******4444")
    } finally {
      await sandbox.control("/config", { body: { cardNotifyUrl: null } })
      await merchant.close()
    }
  })

  describe("errors", () => {
    it("a PaySys error carries code, message, method and mx_id, never the card", async () => {
      const bad = makeClient({ secretKey: "wrong" })
      const error = await bad.preparePayment(payment()).catch((e) => e)
      expect(error).toBeInstanceOf(PaysysError)
      expect(error).toMatchObject({
        method: "paysys.prepare_payment",
        code: expect.any(Number),
        mxId: expect.any(String),
      })
      // the mx_id is random hex and may contain "737" by chance: search the message without it
      expect(error.message.replace(error.mxId, "")).not.toMatch(/4111111111111111|737/)
    })

    it("refuses bad params before any call, naming the field but not the value", async () => {
      const before = await calls("paysys.prepare_payment")
      const error = await client.preparePayment(payment({ card_cvc: "98765" })).catch((e) => e)
      expect(error).toBeInstanceOf(PaysysValidationError)
      expect(error.field).toBe("card_cvc")
      expect(error.message).not.toContain("98765")
      const overLimit = await client.preparePayment(payment({ amount: "600000", currency: "usd" })).catch((e) => e)
      expect(overLimit.message).toMatch(/at most 5000 USD/)
      expect(await calls("paysys.prepare_payment")).toBe(before)
    })

    it.each([
      ["http_5xx", "http_status"],
      ["malformed_json", "invalid_response"],
      ["reset", "connection_reset"],
      ["timeout", "timeout"],
    ])("%s is a transport error that may have reached PaySys, and a write is not retried", async (kind, failure) => {
      const id = uniqueId()
      await sandbox.control("/faults", { body: { kind, method: "paysys.prepare_payment", count: 1 } })
      const before = await calls("paysys.prepare_payment")
      const error = await makeClient({ timeoutMs: 500 })
        .preparePayment(payment({ partner_trans_id: id }))
        .catch((e) => e)
      expect(error).toBeInstanceOf(PaysysTransportError)
      expect(error).toMatchObject({ failure, mayHaveReachedPaysys: true, method: "paysys.prepare_payment" })
      expect(await calls("paysys.prepare_payment")).toBe(before + 1)
    })

    it("check_payment, read-only, is retried after transport failures", async () => {
      const id = await completedPayment()
      await sandbox.control("/faults", { body: { kind: "http_5xx", method: "paysys.check_payment", count: 2 } })
      const before = await calls("paysys.check_payment")
      expect((await client.checkPayment({ partner_trans_id: id })).status).toBe(2)
      expect(await calls("paysys.check_payment")).toBe(before + 3)
      expect(lines.join("\n")).toMatch(/retrying \(2\/2\)/)
    })

    it("a timeout after PaySys acted: the write is not repeated, check_payment tells the outcome", async () => {
      const id = await completedPayment()
      await sandbox.control("/faults", {
        body: { kind: "timeout", method: "paysys.cancel_payment", count: 1, applyFirst: true },
      })
      const before = await calls("paysys.cancel_payment")
      const error = await makeClient({ timeoutMs: 300 })
        .cancelPayment({ partner_trans_id: id })
        .catch((e) => e)
      expect(error).toMatchObject({ failure: "timeout", mayHaveReachedPaysys: true })
      expect(await calls("paysys.cancel_payment")).toBe(before + 1)
      expect((await client.checkPayment({ partner_trans_id: id })).status).toBe(3)
    })

    it("only the codes of transactionNotFoundCodes mean PaySys has no such transaction", async () => {
      const unknown = await client.checkPayment({ partner_trans_id: uniqueId("never-sent") }).catch((e) => e)
      expect(unknown).toMatchObject({ code: -31004 })
      expect(client.isTransactionNotFound(unknown)).toBe(true)
      expect(makeClient({ transactionNotFoundCodes: [-31050] }).isTransactionNotFound(unknown)).toBe(false)
      expect(makeClient({ transactionNotFoundCodes: [-31050, -31004] }).isTransactionNotFound(unknown)).toBe(true)
      expect(client.isTransactionNotFound(new Error("-31004"))).toBe(false)
    })

    it("nobody listening: the request never left", async () => {
      const closed = makeClient({ gatewayUrl: `http://127.0.0.1:${await freePortForTest()}/gateway`, readRetries: 0 })
      const error = await closed.checkPayment({ partner_trans_id: "x" }).catch((e) => e)
      expect(error).toBeInstanceOf(PaysysTransportError)
      expect(error).toMatchObject({ failure: "connection_refused", mayHaveReachedPaysys: false })
    })
  })
})
