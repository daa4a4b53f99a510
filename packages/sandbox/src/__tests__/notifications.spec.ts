import http from "node:http"
import { AddressInfo } from "node:net"
import { notificationAuthHeader, transactionStatusNotification } from "../../../../src/paysys/notifications"
import {
  Merchant,
  payWithThreeDs,
  preparePaymentRequest,
  sleep,
  startMerchant,
  startTestSandbox,
  TestSandbox,
} from "./helpers"

const BASIC = notificationAuthHeader("sandbox-vendor", "sandbox-vendor-secret")

describe("PaySys sandbox callbacks to the merchant", () => {
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

  beforeEach(async () => {
    await sandbox.control("/callbacks", { body: { mode: "normal" } })
    merchant.requests.length = 0
    merchant.respondWith = { status: 200, body: JSON.stringify({ error: null }) }
  })

  it("sends the documented status notification, exactly, with the Basic header", async () => {
    const { partnerTransId, prepared } = await payWithThreeDs(sandbox)
    const [request] = await merchant.waitFor(1)
    expect(request.method).toBe("POST")
    expect(request.url).toBe("/hooks/paysys")
    expect(request.headers["content-type"]).toBe("application/json")
    expect(request.headers.authorization).toBe(BASIC)
    expect(Object.keys(request.body)).toEqual([
      "id",
      "account",
      "amount",
      "card_masked",
      "currency",
      "currency_name",
      "status",
      "date",
    ])
    expect(request.body).toEqual({
      id: prepared.body.result.transaction_id,
      account: partnerTransId,
      amount: 1139000,
      card_masked: "411111******1111",
      currency: 860,
      currency_name: "uzs",
      status: 2,
      date: expect.stringMatching(/^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}$/),
    })
    expect(transactionStatusNotification.parse(request.body).status).toBe(2)

    const { body } = await sandbox.control(`/transactions/${partnerTransId}`)
    expect(body.transaction.notifications).toEqual([
      expect.objectContaining({
        kind: "status",
        url: merchant.url,
        state: "delivered",
        http_status: 200,
        acknowledged: true,
      }),
    ])
  })

  it("announces 2, 3 and each refund (6, with the refund's amount) and failures (-1), never 0 or 1", async () => {
    const refunded = await payWithThreeDs(sandbox, { currency: "usd", amount: "10000" })
    await sandbox.rpc("paysys.refund_payment", {
      partner_trans_id: refunded.partnerTransId,
      amount: "2500",
      currency: "usd",
    })
    await sandbox.rpc("paysys.refund_payment", {
      partner_trans_id: refunded.partnerTransId,
      amount: "1500",
      currency: "usd",
    })
    const canceled = await payWithThreeDs(sandbox)
    await sandbox.rpc("paysys.cancel_payment", { partner_trans_id: canceled.partnerTransId })
    const declined = await payWithThreeDs(sandbox, { card_number: "4000000000009995" })
    await sandbox.rpc("paysys.prepare_payment", preparePaymentRequest()) // stays at 0: no notification

    const requests = await merchant.waitFor(6)
    await sleep(100)
    expect(merchant.requests).toHaveLength(6)
    expect(requests.map((r) => [r.body.account, r.body.status, r.body.amount])).toEqual([
      [refunded.partnerTransId, 2, 10000],
      [refunded.partnerTransId, 6, 2500],
      [refunded.partnerTransId, 6, 1500],
      [canceled.partnerTransId, 2, 1139000],
      [canceled.partnerTransId, 3, 1139000],
      [declined.partnerTransId, -1, 1139000],
    ])
    expect(requests[0].body).toMatchObject({ currency: 840, currency_name: "usd" })
  })

  it("drop: the next N callbacks are logged but never sent", async () => {
    await sandbox.control("/callbacks", { body: { mode: "drop", count: 1 } })
    const dropped = await payWithThreeDs(sandbox)
    const delivered = await payWithThreeDs(sandbox)
    const [request] = await merchant.waitFor(1)
    await sleep(100)
    expect(merchant.requests).toHaveLength(1)
    expect(request.body.account).toBe(delivered.partnerTransId)
    const { body } = await sandbox.control(`/notifications?partner_trans_id=${dropped.partnerTransId}`)
    expect(body.notifications).toEqual([
      expect.objectContaining({ state: "dropped", behaviour: "drop", http_status: null }),
    ])
  })

  it("duplicate: sends identical copies", async () => {
    await sandbox.control("/callbacks", { body: { mode: "duplicate", copies: 3, count: 1 } })
    const { partnerTransId } = await payWithThreeDs(sandbox)
    const requests = await merchant.waitFor(3)
    await sleep(100)
    expect(merchant.requests).toHaveLength(3)
    expect(new Set(requests.map((r) => r.raw)).size).toBe(1)
    expect(requests[0].body.account).toBe(partnerTransId)
  })

  it("delay: sends after delayMs", async () => {
    await sandbox.control("/callbacks", { body: { mode: "delay", delayMs: 400 } })
    const startedAt = Date.now()
    await payWithThreeDs(sandbox)
    await sleep(150)
    expect(merchant.requests).toHaveLength(0)
    const [request] = await merchant.waitFor(1)
    expect(request.at - startedAt).toBeGreaterThanOrEqual(380)
  })

  it("hold + flush reverse: delivers the held callbacks in reverse order", async () => {
    await sandbox.control("/callbacks", { body: { mode: "hold" } })
    const { partnerTransId } = await payWithThreeDs(sandbox)
    await sandbox.rpc("paysys.cancel_payment", { partner_trans_id: partnerTransId })
    await sleep(100)
    expect(merchant.requests).toHaveLength(0)
    expect((await sandbox.control("/callbacks")).body.held).toBe(2)

    await sandbox.control("/callbacks", { body: { mode: "normal" } })
    const flushed = await sandbox.control("/callbacks/flush", { body: { order: "reverse" } })
    expect(flushed.body.flushed).toBe(2)
    // flush answers once the merchant has answered every held callback
    expect(merchant.requests.map((r) => r.body.status)).toEqual([3, 2])
    expect((await sandbox.control("/callbacks")).body.held).toBe(0)
  })

  it("hold + flush fifo keeps the order", async () => {
    await sandbox.control("/callbacks", { body: { mode: "hold", count: 2 } })
    const { partnerTransId } = await payWithThreeDs(sandbox)
    await sandbox.rpc("paysys.cancel_payment", { partner_trans_id: partnerTransId })
    await sandbox.control("/callbacks/flush", { body: {} })
    expect(merchant.requests.map((r) => r.body.status)).toEqual([2, 3])
  })

  it("does not retry a callback the merchant refused, and logs the answer", async () => {
    merchant.respondWith = { status: 500, body: "oops" }
    const { partnerTransId } = await payWithThreeDs(sandbox)
    await merchant.waitFor(1)
    await sleep(200)
    expect(merchant.requests).toHaveLength(1)
    const { body } = await sandbox.control(`/notifications?partner_trans_id=${partnerTransId}`)
    expect(body.notifications).toEqual([
      expect.objectContaining({ state: "failed", http_status: 500, acknowledged: false, response_body: "oops" }),
    ])
  })

  it("POST /__sandbox/notify sends a forged status notification now, without changing the payment", async () => {
    const { partnerTransId } = await payWithThreeDs(sandbox)
    await merchant.waitFor(1)
    const forged = await sandbox.control("/notify", { body: { partner_trans_id: partnerTransId, status: 3 } })
    expect(forged.status).toBe(200)
    expect(forged.body.delivery).toMatchObject({ behaviour: "direct", state: "delivered", http_status: 200 })
    expect(merchant.requests).toHaveLength(2)
    expect(merchant.requests[1].body).toMatchObject({ account: partnerTransId, status: 3 })
    expect(merchant.requests[1].headers.authorization).toBe(BASIC)
    const checked = await sandbox.rpc("paysys.check_payment", { partner_trans_id: partnerTransId })
    expect(checked.body.result.status).toBe("2")
  })

  it("POST /__sandbox/notify resends a partner.notify for a card", async () => {
    const registered = await sandbox.rpc("mir.card_registration", {
      card_number: "4111111111111111",
      card_expire: "30/01",
      card_cvc: "123",
      card_holder: "CARDHOLDER NAME",
      account: "998123456789",
    })
    const cardId = registered.body.result.card_id
    const notYet = await sandbox.control("/notify", { body: { card_id: cardId, stat: "SUCCESS" } })
    expect(notYet.status).toBe(409)
    await fetch(registered.body.result.confirm_url, { method: "POST", body: new URLSearchParams({ code: "123456" }) })
    await merchant.waitFor(1)
    const resent = await sandbox.control("/notify", { body: { card_id: cardId } })
    expect(resent.body.delivery.state).toBe("delivered")
    expect(merchant.requests[1].body.params).toEqual(merchant.requests[0].body.params)
    expect(merchant.requests[1].body.id).not.toBe(merchant.requests[0].body.id)
  })

  it("delivers asynchronously: a merchant that never answers does not slow the gateway", async () => {
    const hanging = http.createServer(() => undefined) // accepts, never answers
    await new Promise<void>((resolve) => hanging.listen(0, "127.0.0.1", resolve))
    const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/hook`
    const slow = await startTestSandbox({ notifyUrl: url, notifyTimeoutMs: 300 })
    try {
      const startedAt = Date.now()
      const { partnerTransId } = await payWithThreeDs(slow)
      expect(Date.now() - startedAt).toBeLessThan(250)
      await sleep(500)
      const { body } = await slow.control(`/notifications?partner_trans_id=${partnerTransId}`)
      expect(body.notifications).toEqual([expect.objectContaining({ state: "failed", error: "no answer in 300 ms" })])
    } finally {
      await slow.close()
      hanging.closeAllConnections()
      hanging.close()
    }
  })

  it("logs a callback as skipped when no notifyUrl is set", async () => {
    const quiet = await startTestSandbox()
    try {
      const { partnerTransId } = await payWithThreeDs(quiet)
      const { body } = await quiet.control(`/notifications?partner_trans_id=${partnerTransId}`)
      expect(body.notifications).toEqual([
        expect.objectContaining({ state: "skipped", error: "no notifyUrl configured" }),
      ])
      // the "cabinet": set the URL later
      await quiet.control("/config", { body: { notifyUrl: merchant.url } })
      const second = await payWithThreeDs(quiet)
      const [request] = await merchant.waitFor(1)
      expect(request.body.account).toBe(second.partnerTransId)
    } finally {
      await quiet.close()
    }
  })
})
