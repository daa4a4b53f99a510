import { parseMerchantCallback, signedRequest } from "../../../../src/paysys-form/callbacks"
import { buildFormFields } from "../../../../src/paysys-form/form-fields"
import { queryFormPaymentStatus } from "../../../../src/paysys-form/status-client"
import { FormMerchant, startFormMerchant } from "./form-merchant"
import { startTestSandbox, TestSandbox, uniqueId } from "./helpers"

const VENDOR_ID = "101234"
const SECRET = "sandbox-form-secret"

/** What a browser without JavaScript does on the sandbox's form. */
async function openForm(sandbox: TestSandbox, fields: Record<string, string | undefined>) {
  const body = new URLSearchParams(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined))
  const response = await fetch(sandbox.formUrl, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: body.toString(),
    redirect: "manual",
  })
  return { status: response.status, location: response.headers.get("location"), html: await response.text() }
}

async function post(sandbox: TestSandbox, path: string, form: Record<string, string>) {
  const response = await fetch(`${sandbox.url}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
    redirect: "manual",
  })
  return { status: response.status, location: response.headers.get("location"), html: await response.text() }
}

const page = async (sandbox: TestSandbox, path: string) => (await fetch(`${sandbox.url}${path}`)).text()

function signedFields(order: string, amountMinor: string, extra: Partial<Parameters<typeof buildFormFields>[0]> = {}) {
  return buildFormFields({
    vendorId: VENDOR_ID,
    secretKey: SECRET,
    merchantTransId: order,
    amount: amountMinor,
    currency: "uzs",
    note: `Order ${order}`,
    returnUrl: `https://shop.example/return/${order}`,
    ...extra,
  })
}

/** Opens the form, types the card and the SMS code: the result page's HTML and the form id. */
async function payThroughForm(
  sandbox: TestSandbox,
  order: string,
  card = "8600000000000001",
  code = "123456",
  fields = signedFields(order, "15000000")
) {
  const opened = await openForm(sandbox, fields)
  expect(opened.status).toBe(303)
  const formPath = opened.location as string
  const cardStep = await post(sandbox, `${formPath}/card`, { card_number: card, card_expiry: "12/39" })
  if (cardStep.status !== 302) {
    return { formPath, html: cardStep.html, status: cardStep.status }
  }
  const next = await page(sandbox, formPath)
  if (!next.includes('id="sms-form"')) {
    return { formPath, html: next, status: 200 }
  }
  const result = await post(sandbox, `${formPath}/sms`, { code })
  return { formPath, html: result.html, status: result.status }
}

const formPayment = async (sandbox: TestSandbox, order: string) => {
  const { body } = await sandbox.control(`/form/payments?merchant_trans_id=${order}`)
  return body.payments[0]
}

describe("PaySys sandbox: the hosted payment form", () => {
  let sandbox: TestSandbox
  let merchant: FormMerchant

  const newOrder = (amountSum = "150000") => {
    const order = uniqueId("ORD")
    merchant.orders.set(order, amountSum)
    return order
  }
  const callsTo = (callback: string, order?: string) =>
    merchant.calls.filter((c) => c.callback === callback && (order === undefined || c.body.includes(order)))

  beforeAll(async () => {
    merchant = await startFormMerchant({ vendorId: VENDOR_ID, secretKey: SECRET })
    sandbox = await startTestSandbox({ merchantApiUrl: merchant.url })
  })
  afterAll(async () => {
    await sandbox.close()
    await merchant.close()
  })
  beforeEach(async () => {
    await sandbox.control("/callbacks", { body: { mode: "normal" } })
    await sandbox.control("/faults", { method: "DELETE" })
  })

  it("the index page shows the form URL, its credentials, the merchant API and the form's test cards", async () => {
    const html = await page(sandbox, "/")
    expect(html).toContain(`POST ${sandbox.formUrl}`)
    expect(html).toContain(SECRET)
    expect(html).toContain(`${merchant.url}/{info,pay,notify,cancel,statement,fiscalization}`)
    expect(html).toContain("9860000000000002")
  })

  describe("opening", () => {
    it("takes the merchant's signed fields and shows the card page with the order and amount", async () => {
      const order = newOrder()
      const opened = await openForm(sandbox, signedFields(order, "15000000"))
      expect(opened.status).toBe(303)
      expect(opened.location).toMatch(/^\/form\/[0-9a-f]+$/)
      const html = await page(sandbox, opened.location as string)
      expect(html).toContain('id="card-form"')
      expect(html).toContain("150 000 sum")
      expect(html).toContain(order)
    })

    it.each([
      ["a wrong SIGN_STRING", { SIGN_STRING: "0".repeat(32) }, "SIGN_STRING"],
      ["another VENDOR_ID", { VENDOR_ID: "999" }, "VENDOR_ID"],
      ["no MERCHANT_TRANS_NOTE", { MERCHANT_TRANS_NOTE: undefined }, "MERCHANT_TRANS_NOTE"],
      ["a currency the form does not take", { MERCHANT_CURRENCY: "eur" }, "MERCHANT_CURRENCY"],
      ["a fractional amount", { MERCHANT_TRANS_AMOUNT: "1500.50" }, "MERCHANT_TRANS_AMOUNT"],
    ])("refuses %s with a 400 page naming %s", async (_what, override, field) => {
      const opened = await openForm(sandbox, { ...signedFields(newOrder(), "15000000"), ...override })
      expect(opened.status).toBe(400)
      expect(opened.html).toContain('data-outcome="failure"')
      expect(opened.html).toContain(field)
    })

    it("refuses an amount changed after signing", async () => {
      const opened = await openForm(sandbox, { ...signedFields(newOrder(), "15000000"), MERCHANT_TRANS_AMOUNT: "1" })
      expect(opened.status).toBe(400)
      expect(opened.html).toContain("SIGN_STRING")
    })
  })

  describe("paying", () => {
    it("UzCard: card, SMS code, a signed Pay, the result page with the way back, then a signed Notify 2", async () => {
      const order = newOrder()
      const { html } = await payThroughForm(
        sandbox,
        order,
        "8600000000000001",
        "123456",
        signedFields(order, "15000000", { data: { cart: "c_1" } })
      )
      expect(html).toContain('data-outcome="success"')
      expect(html).toContain(`href="https://shop.example/return/${order}"`)
      expect(html).toContain("860000******0001")
      expect(html).not.toContain("8600000000000001")

      const [pay] = callsTo("pay", order)
      const payBody = JSON.parse(pay.body)
      expect(payBody).toEqual({
        VENDOR_ID: 101234,
        PAYMENT_ID: 9,
        PAYMENT_NAME: "uzcard",
        AGR_TRANS_ID: expect.any(Number),
        MERCHANT_TRANS_ID: order,
        MERCHANT_TRANS_AMOUNT: 150000,
        ENVIRONMENT: "sandbox",
        SIGN_TIME: expect.any(Number),
        SIGN_STRING: expect.stringMatching(/^[0-9a-f]{32}$/),
        MERCHANT_TRANS_DATA: Buffer.from(JSON.stringify({ cart: "c_1" })).toString("base64"),
      })
      expect(parseMerchantCallback("pay", pay.body, { secretKey: SECRET }).ok).toBe(true)
      expect(pay.answer).toMatchObject({ ERROR: 0, VENDOR_TRANS_ID: expect.any(Number) })

      const notify = await waitForNotify(payBody.AGR_TRANS_ID)
      expect(JSON.parse(notify.body)).toEqual({
        AGR_TRANS_ID: payBody.AGR_TRANS_ID,
        VENDOR_TRANS_ID: pay.answer.VENDOR_TRANS_ID,
        STATUS: 2,
        SIGN_TIME: expect.any(Number),
        SIGN_STRING: expect.stringMatching(/^[0-9a-f]{32}$/),
      })
      expect(parseMerchantCallback("notify", notify.body, { secretKey: SECRET }).ok).toBe(true)
      expect(merchant.attempts.find((a) => a.order === order)?.state).toBe("paid")

      const payment = await formPayment(sandbox, order)
      expect(payment).toMatchObject({
        status: "paid",
        payment_name: "uzcard",
        vendor_trans_id: pay.answer.VENDOR_TRANS_ID,
        card: { masked: "860000******0001" },
      })
      expect(JSON.stringify(payment)).not.toContain("8600000000000001")
    })

    it.each([
      ["9860000000000001", "humo", 10],
      ["4111111111111111", "visa", 11],
      ["5555555555554444", "mastercard", 12],
    ])("%s pays as %s (PAYMENT_ID %d)", async (card, name, paymentId) => {
      const order = newOrder()
      const { html } = await payThroughForm(sandbox, order, card)
      expect(html).toContain('data-outcome="success"')
      expect(JSON.parse(callsTo("pay", order)[0].body)).toMatchObject({ PAYMENT_NAME: name, PAYMENT_ID: paymentId })
    })

    it("a declining card ends before Pay: the merchant hears nothing", async () => {
      const order = newOrder()
      const { html } = await payThroughForm(sandbox, order, "8600000000000002")
      expect(html).toContain('data-outcome="failure"')
      expect(html).toContain("declined")
      expect(callsTo("pay", order)).toHaveLength(0)
      expect(await formPayment(sandbox, order)).toMatchObject({ status: "failed", agr_trans_id: null })
    })

    it("insufficient funds after Pay was accepted: the merchant holds an accepted Pay and never gets Notify", async () => {
      const order = newOrder()
      const { html } = await payThroughForm(sandbox, order, "9860000000000002")
      expect(html).toContain("Insufficient funds")
      expect(callsTo("pay", order)[0].answer).toMatchObject({ ERROR: 0 })
      const payment = await formPayment(sandbox, order)
      expect(payment).toMatchObject({ status: "failed", vendor_trans_id: expect.any(Number) })
      expect(payment.calls.filter((c: { kind: string }) => c.kind === "form_notify")).toEqual([])
      expect(merchant.attempts.find((a) => a.order === order)?.state).toBe("pay_accepted")
    })

    it("a wrong SMS code ends without Pay", async () => {
      const order = newOrder()
      const { html } = await payThroughForm(sandbox, order, "8600000000000001", "000000")
      expect(html).toContain("Wrong SMS code")
      expect(callsTo("pay", order)).toHaveLength(0)
    })

    it("refuses a bad card number or expiry on the card page, naming neither value", async () => {
      const opened = await openForm(sandbox, signedFields(newOrder(), "15000000"))
      const badNumber = await post(sandbox, `${opened.location}/card`, {
        card_number: "1234567890123456",
        card_expiry: "12/39",
      })
      expect(badNumber.status).toBe(422)
      expect(badNumber.html).toContain('id="form-error"')
      expect(badNumber.html).not.toContain("1234567890123456")
      const expired = await post(sandbox, `${opened.location}/card`, {
        card_number: "8600000000000001",
        card_expiry: "01/20",
      })
      expect(expired.html).toContain("expired")
    })

    it("shows the merchant's refusal of Pay (wrong amount, -2) and sends no Notify", async () => {
      const order = newOrder("999")
      const { html } = await payThroughForm(sandbox, order)
      expect(html).toContain("ERROR -2 Incorrect parameter amount")
      expect(await formPayment(sandbox, order)).toMatchObject({ status: "failed", vendor_trans_id: null })
    })

    it("a second SMS submission does not send Pay twice", async () => {
      const order = newOrder()
      const { formPath } = await payThroughForm(sandbox, order)
      const again = await post(sandbox, `${formPath}/sms`, { code: "123456" })
      expect(again.status).toBe(302)
      expect(callsTo("pay", order)).toHaveLength(1)
    })
  })

  describe("the status API", () => {
    const status = async (body: unknown) => {
      const response = await fetch(sandbox.statusUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: typeof body === "string" ? body : JSON.stringify(body),
      })
      expect(response.status).toBe(200)
      return response.json()
    }
    const query = (agr: number, paymentId = 9, secret = SECRET) =>
      signedRequest("status", secret, {
        VENDOR_ID: 101234,
        AGR_TRANS_ID: agr,
        PAYMENT_ID: paymentId,
        SIGN_TIME: Date.now(),
      })

    it("answers 0 for a paid payment, -9 once cancelled, -6 unknown, -1 bad signature, -8 garbage", async () => {
      const order = newOrder()
      await payThroughForm(sandbox, order)
      const { agr_trans_id: agr } = await formPayment(sandbox, order)
      expect(await status(query(Number(agr)))).toEqual({ ERROR: 0, ERROR_NOTE: "Success" })
      expect(
        await queryFormPaymentStatus({
          statusUrl: sandbox.statusUrl,
          vendorId: VENDOR_ID,
          secretKey: SECRET,
          agrTransId: agr,
          paymentId: 9,
        })
      ).toEqual({ paid: true, error: 0, note: "Success" })
      expect(await status(query(Number(agr), 10))).toMatchObject({ ERROR: -6 })
      expect(await status(query(123))).toMatchObject({ ERROR: -6 })
      expect(await status(query(Number(agr), 9, "wrong"))).toEqual({ ERROR: -1, ERROR_NOTE: "SIGN CHECK FAILED!" })
      expect(await status("not json")).toEqual({ ERROR: -8, ERROR_NOTE: "Error in request" })
      await sandbox.control("/form/cancel", { body: { agr_trans_id: agr } })
      expect(await status(query(Number(agr)))).toMatchObject({ ERROR: -9 })
    })

    it("answers -20 (not completed) when Pay was accepted but the debit failed", async () => {
      const order = newOrder()
      await payThroughForm(sandbox, order, "9860000000000002")
      const { agr_trans_id: agr, payment_id: paymentId } = await formPayment(sandbox, order)
      expect(await status(query(Number(agr), paymentId))).toEqual({
        ERROR: -20,
        ERROR_NOTE: "Payment is not completed",
      })
    })
  })

  describe("calls on demand from the control API", () => {
    it("Cancel: the merchant allows it, the payment is cancelled and Notify 3 follows; a second Cancel gets -9", async () => {
      const order = newOrder()
      await payThroughForm(sandbox, order)
      const { agr_trans_id: agr } = await formPayment(sandbox, order)
      await waitForNotify(Number(agr))
      const cancelled = await sandbox.control("/form/cancel", { body: { agr_trans_id: agr } })
      expect(cancelled.status).toBe(200)
      expect(cancelled.body).toMatchObject({
        answer: { ERROR: 0 },
        payment: { status: "cancelled" },
        delivery: { kind: "form_cancel", acknowledged: true },
      })
      const notify3 = await waitForNotify(Number(agr), 3)
      expect(parseMerchantCallback("notify", notify3.body, { secretKey: SECRET })).toMatchObject({
        ok: true,
        request: { STATUS: 3 },
      })
      const again = await sandbox.control("/form/cancel", { body: { agr_trans_id: agr } })
      expect(again.body.answer).toEqual({ ERROR: -9, ERROR_NOTE: "Transaction cancelled" })
    })

    it("Statement: checked line by line against the sandbox's payments", async () => {
      const order = newOrder()
      await payThroughForm(sandbox, order)
      const { agr_trans_id: agr } = await formPayment(sandbox, order)
      await waitForNotify(Number(agr))
      const { body } = await sandbox.control("/form/statement", { body: {} })
      expect(body.answer.ERROR).toBe(0)
      expect(body.answer.TRANSACTIONS).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ AGR_TRANS_ID: Number(agr), STATE: 2, MERCHANT_TRANS_AMOUNT: 150000 }),
        ])
      )
      expect(body.problems).toEqual([])
    })

    it("Statement: names a payment the merchant left out", async () => {
      const order = newOrder()
      await payThroughForm(sandbox, order, "8600000000000001")
      const { agr_trans_id: agr } = await formPayment(sandbox, order)
      await waitForNotify(Number(agr))
      const attempt = merchant.attempts.find((a) => a.order === order)
      expect(attempt).toBeDefined()
      // the merchant "lost" Notify 2, so it does not list the payment
      ;(attempt as { state: string }).state = "pay_accepted"
      const { body } = await sandbox.control("/form/statement", { body: {} })
      expect(body.problems).toContain(`AGR_TRANS_ID ${agr} (paid) is missing`)
    })

    it("Fiscalization: the receipt is parsed and the sum rule checked; a wrong TYPE gets -11", async () => {
      const order = newOrder()
      await payThroughForm(sandbox, order)
      const { agr_trans_id: agr } = await formPayment(sandbox, order)
      const { body } = await sandbox.control("/form/fiscalization", { body: { agr_trans_id: agr } })
      expect(body).toMatchObject({
        answer: { ERROR: 0, PARAMETERS: { type: 0 } },
        sum_rule: { ok: true, total: "150000" },
        problems: [],
      })
      const wrongType = await sandbox.control("/form/fiscalization", { body: { agr_trans_id: agr, type: "REFUND" } })
      expect(wrongType.body.answer).toEqual({ ERROR: -11, ERROR_NOTE: "Transaction type is not correct" })
    })

    it("Info for a known and an unknown order", async () => {
      const order = newOrder()
      expect((await sandbox.control("/form/info", { body: { merchant_trans_id: order } })).body.answer).toMatchObject({
        ERROR: 0,
      })
      expect((await sandbox.control("/form/info", { body: { merchant_trans_id: "-01" } })).body.answer).toMatchObject({
        ERROR: -5,
      })
    })

    it("refuses bad bodies naming the field, and unknown payments with 404", async () => {
      expect(await sandbox.control("/form/cancel", { body: { agr_trans_id: "x1" } })).toMatchObject({
        status: 400,
        body: { error: { field: "agr_trans_id" } },
      })
      expect(await sandbox.control("/form/cancel", { body: { agr_trans_id: "1" } })).toMatchObject({ status: 404 })
      expect(await sandbox.control("/form/statement", { body: { from: "yesterday" } })).toMatchObject({
        status: 400,
        body: { error: { field: "from" } },
      })
    })
  })

  describe("faults", () => {
    it("Pay timeout: the merchant accepted Pay, PaySys gave up, the payment failed and no Notify comes", async () => {
      expect(
        (await sandbox.control("/faults", { body: { kind: "timeout", method: "form.pay", count: 1 } })).status
      ).toBe(200)
      const order = newOrder()
      const { html } = await payThroughForm(sandbox, order)
      expect(html).toContain("did not answer in time")
      expect(callsTo("pay", order)[0].answer).toMatchObject({ ERROR: 0 })
      expect(await formPayment(sandbox, order)).toMatchObject({
        status: "failed",
        calls: [expect.objectContaining({ kind: "form_pay" })],
      })
    })

    it("refuses a form.pay fault other than timeout or latency, naming kind", async () => {
      expect(await sandbox.control("/faults", { body: { kind: "http_5xx", method: "form.pay" } })).toMatchObject({
        status: 400,
        body: { error: { field: "kind" } },
      })
    })

    it("a dropped Notify is logged and never sent", async () => {
      await sandbox.control("/callbacks", { body: { mode: "drop", kind: "form", count: 1 } })
      const order = newOrder()
      await payThroughForm(sandbox, order)
      const payment = await formPayment(sandbox, order)
      expect(payment.calls.map((c: { kind: string; state: string }) => `${c.kind} ${c.state}`)).toEqual([
        "form_pay delivered",
        "form_notify dropped",
      ])
      expect(merchant.attempts.find((a) => a.order === order)?.state).toBe("pay_accepted")
    })

    it("a duplicated Notify arrives twice, both acknowledged", async () => {
      await sandbox.control("/callbacks", { body: { mode: "duplicate", kind: "form", count: 1 } })
      const order = newOrder()
      await payThroughForm(sandbox, order)
      const { agr_trans_id: agr } = await formPayment(sandbox, order)
      await waitForNotify(Number(agr), 2, 2)
      const notifies = merchant.calls.filter((c) => c.callback === "notify" && c.body.includes(String(agr)))
      expect(notifies.map((c) => c.answer)).toEqual([
        { ERROR: 0, ERROR_NOTE: "Success" },
        { ERROR: 0, ERROR_NOTE: "Success" },
      ])
    })

    it("reordered Notify: held 2 and 3 flushed in reverse reach the merchant as 3 then 2", async () => {
      await sandbox.control("/callbacks", { body: { mode: "hold", kind: "form" } })
      const order = newOrder()
      await payThroughForm(sandbox, order)
      const { agr_trans_id: agr } = await formPayment(sandbox, order)
      await sandbox.control("/form/cancel", { body: { agr_trans_id: agr } })
      await sandbox.control("/callbacks", { body: { mode: "normal" } })
      const flushed = await sandbox.control("/callbacks/flush", { body: { order: "reverse" } })
      expect(flushed.body.flushed).toBe(2)
      const statuses = merchant.calls
        .filter((c) => c.callback === "notify" && c.body.includes(String(agr)))
        .map((c) => JSON.parse(c.body).STATUS)
      expect(statuses).toEqual([3, 2])
      expect(merchant.attempts.find((a) => a.order === order)?.state).toBe("cancelled")
    })
  })

  it("without a merchant API URL, Pay is not sent and the payment fails saying so; the URL is set from the control API", async () => {
    await sandbox.control("/config", { body: { merchantApiUrl: null } })
    try {
      const order = newOrder()
      const { html } = await payThroughForm(sandbox, order)
      expect(html).toContain("no merchantApiUrl configured")
    } finally {
      const { body } = await sandbox.control("/config", { body: { merchantApiUrl: merchant.url } })
      expect(body.merchantApiUrl).toBe(merchant.url)
    }
  })

  /** Waits until the merchant got `count` Notify with this status for this AGR_TRANS_ID. */
  async function waitForNotify(agr: number, status = 2, count = 1) {
    const matching = () =>
      merchant.calls.filter((c) => {
        if (c.callback !== "notify") return false
        const body = JSON.parse(c.body)
        return body.AGR_TRANS_ID === agr && body.STATUS === status
      })
    const deadline = Date.now() + 10_000
    while (matching().length < count) {
      if (Date.now() > deadline) throw new Error(`no Notify ${status} for ${agr}`)
      await merchant
        .waitFor(
          "notify",
          merchant.calls.filter((c) => c.callback === "notify").length + 1,
          Math.max(1, deadline - Date.now())
        )
        .catch(() => undefined)
    }
    return matching()[count - 1]
  }
})
