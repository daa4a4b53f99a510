import { integrationTestRunner } from "../helpers/test-runner"
import { seedStore, SeededStore } from "../../scripts/seed-store"
import { loginAdmin } from "../helpers/admin"
import {
  card,
  CARDS,
  passThreeDs,
  sandboxControl,
  sandboxPaysysClient,
  Storefront,
  THREE_DS_CODE,
} from "../helpers/checkout"
import { waitFor } from "../helpers/wait"

jest.setTimeout(180_000)

type Panel = Record<string, any> & { history: Record<string, any>[] }

integrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: SeededStore
    let storefront: Storefront
    let admin: { headers: Record<string, string> }
    const sandbox = sandboxControl()

    beforeAll(async () => {
      store = await seedStore(getContainer())
      storefront = new Storefront(api, store)
      admin = await loginAdmin(api, getContainer())
    })
    afterEach(async () => {
      await sandbox.delete("/faults")
      await sandbox.post("/callbacks", { mode: "normal" })
    })

    const anyStatus = { validateStatus: () => true }
    const getPanel = (orderId: string, headers: object = admin) =>
      api.get(`/admin/paysys/orders/${orderId}`, { ...headers, ...anyStatus })
    const refreshPanel = (orderId: string, headers: object = admin) =>
      api.post(`/admin/paysys/orders/${orderId}/refresh`, {}, { ...headers, ...anyStatus })

    /** A shopper pays 375,000 UZS by Visa through the sandbox's 3-D Secure page. */
    async function paidOrder() {
      const cart = await storefront.cartReadyForPayment("uzs", [
        { variantId: store.products[0].variantId, quantity: 1 },
      ])
      const session = await storefront.startPaysysSession(cart.id)
      const posted = await storefront.postCard(session.id, card(CARDS.visa))
      expect(posted.status).toBe(200)
      await passThreeDs(posted.data.confirm_url, { code: THREE_DS_CODE })
      const completed = await storefront.complete(cart.id)
      expect(completed.data.type).toBe("order")
      return { orderId: completed.data.order.id as string, sessionId: session.id as string }
    }

    /** The panel once PaySys's "paid" notification for the order was processed. */
    function panelWithProcessedNotification(orderId: string) {
      return waitFor("the processed PaySys notification in the panel", async () => {
        const { data } = await getPanel(orderId)
        const panel = data.paysys as Panel
        const processed = panel.history.find(
          (entry) => entry.type === "notification" && entry.reported_status === "2" && entry.processed_at
        )
        return processed ? panel : null
      })
    }

    describe("authentication", () => {
      it("answers 401 without an admin, on both routes", async () => {
        const { orderId } = await paidOrder()
        const noAuth = {}
        const wrongToken = { headers: { authorization: "Bearer not-a-token" } }
        const publishableKeyOnly = storefront.headers
        for (const headers of [noAuth, wrongToken, publishableKeyOnly]) {
          const get = await getPanel(orderId, headers)
          const post = await refreshPanel(orderId, headers)
          expect([get.status, post.status]).toEqual([401, 401])
          expect(JSON.stringify(get.data)).not.toContain("rrn")
        }
        expect((await getPanel(orderId)).status).toBe(200)
      })
    })

    describe("an order paid with PaySys", () => {
      it("shows the PaySys transaction and its history", async () => {
        const { orderId, sessionId } = await paidOrder()
        const panel = await panelWithProcessedNotification(orderId)

        const { data: order } = await api.get(`/admin/orders/${orderId}?fields=*payment_collections.payments`, admin)
        const payment = order.order.payment_collections[0].payments[0]
        expect(panel).toMatchObject({
          order_id: orderId,
          payment_id: payment.id,
          provider_id: "pp_paysys_paysys",
          payment_session_id: sessionId,
          partner_trans_id: `${sessionId}-1`,
          attempt: 1,
          transaction_id: expect.any(String),
          paysys_status: 2,
          status: "paid",
          amount: "37500000",
          amount_major: "375000",
          currency: "uzs",
          refunded_amount: "0",
          card_masked: "411111******1111",
          rrn: expect.stringMatching(/^\d{12}$/),
          approval_code: expect.any(String),
          three_ds: expect.any(String),
          error: null,
          paid_at: expect.any(String),
          captured_at: expect.any(String),
          canceled_at: null,
          partner_trans_ids: [`${sessionId}-1`],
        })
        expect(panel.rrn).toBe(payment.data.rrn)
        expect(panel.transaction_id).toBe(payment.data.transaction_id)

        const types = panel.history.map((entry) => entry.type)
        expect(types).toEqual(expect.arrayContaining(["paid", "captured", "notification"]))
        const notification = panel.history.find((entry) => entry.type === "notification")!
        expect(notification).toMatchObject({
          partner_trans_id: `${sessionId}-1`,
          reported_status: "2",
          status: "paid",
          amount: "37500000",
          amount_major: "375000",
          currency: "uzs",
          deliveries: 1,
          outcome: expect.stringMatching(/^(captured|already_captured)$/),
        })
        const captured = panel.history.find((entry) => entry.type === "captured")!
        expect(captured).toMatchObject({ amount_major: "375000", amount: "37500000" })
        expectSortedByTime(panel.history)

        // no card number, 3-D Secure page, token or secret
        const text = JSON.stringify(panel)
        expect(text).not.toContain(CARDS.visa)
        expect(text).not.toMatch(/confirm_url|3ds\/payment|sandbox-secret|token/i)
      })

      it("reflects a partial refund made with Medusa's own admin flow", async () => {
        const { orderId } = await paidOrder()
        const before = await panelWithProcessedNotification(orderId)
        const refunded = await api.post(
          `/admin/payments/${before.payment_id}/refund?fields=*refunds`,
          { amount: 100_000, note: "one cushion" },
          admin
        )
        const refundId = refunded.data.payment.refunds[0].id

        const { data } = await getPanel(orderId)
        const panel = data.paysys as Panel
        expect(panel).toMatchObject({
          paysys_status: 6,
          status: "partially_refunded",
          refunded_amount: "10000000",
          refunded_amount_major: "100000",
          rrn: before.rrn,
        })
        const refunds = panel.history.filter((entry) => entry.type === "refund")
        expect(refunds).toEqual([
          expect.objectContaining({
            refund_id: refundId,
            via: "refund",
            amount: "10000000",
            amount_major: "100000",
            note: "one cushion",
          }),
        ])
        expectSortedByTime(panel.history)
        expect(panel.history[panel.history.length - 1].type).not.toBe("paid")

        // the rest of it: refunded in full
        await api.post(`/admin/payments/${before.payment_id}/refund`, { amount: 275_000 }, admin)
        const after = (await getPanel(orderId)).data.paysys as Panel
        expect(after).toMatchObject({ status: "refunded", refunded_amount: "37500000" })
        expect(after.history.filter((entry) => entry.type === "refund")).toHaveLength(2)
      })

      it("reflects an order canceled in Medusa (a reversal at PaySys)", async () => {
        const { orderId } = await paidOrder()
        await panelWithProcessedNotification(orderId)
        expect((await api.post(`/admin/orders/${orderId}/cancel`, {}, admin)).status).toBe(200)
        const panel = (await getPanel(orderId)).data.paysys as Panel
        expect(panel).toMatchObject({
          paysys_status: 3,
          status: "reversed",
          canceled_at: expect.any(String),
          refunded_amount: "37500000",
        })
        expect(panel.history.filter((entry) => entry.type === "refund")).toEqual([
          expect.objectContaining({ via: "cancel", amount: "37500000", refund_id: expect.any(String) }),
        ])
      })

      it("refresh asks PaySys now: a reversal made at PaySys shows, and is kept", async () => {
        const { orderId } = await paidOrder()
        const before = await panelWithProcessedNotification(orderId)
        expect(before.paysys_status).toBe(2)

        // behind Medusa's back: reversed directly at PaySys, its notification held back for now
        await sandbox.post("/callbacks", { mode: "hold" })
        const reversed = await sandboxPaysysClient().cancelPayment({ partner_trans_id: before.partner_trans_id })
        expect(reversed.status).toBe(3)
        // Medusa still shows what it knew
        expect((await getPanel(orderId)).data.paysys.paysys_status).toBe(2)

        const refreshed = await refreshPanel(orderId)
        expect(refreshed.status).toBe(200)
        const panel = refreshed.data.paysys as Panel
        expect(panel).toMatchObject({
          paysys_status: 3,
          status: "reversed",
          rrn: before.rrn,
          canceled_at: expect.any(String),
        })
        expect(Date.parse(panel.checked_at)).toBeGreaterThan(Date.parse(before.checked_at))
        expect(panel.history).toEqual(
          expect.arrayContaining([expect.objectContaining({ type: "cancellation", source: "paysys" })])
        )

        // kept in the plugin's ledger, and the reversal made at PaySys recorded once as a Medusa refund
        const again = (await getPanel(orderId)).data.paysys as Panel
        expect(again).toMatchObject({ paysys_status: 3, checked_at: panel.checked_at })
        const { data } = await api.get(`/admin/payments/${before.payment_id}?fields=id,data,*refunds`, admin)
        expect(data.payment.data).toMatchObject({ paysys_status: 3, partner_trans_id: before.partner_trans_id })
        expect(data.payment.refunds).toHaveLength(1)
        // PaySys's notification of the reversal, once it comes, shows in the history too
        await sandbox.post("/callbacks/flush", { order: "fifo" })
        await waitFor("the reversal's notification", async () => {
          const { data: latest } = await getPanel(orderId)
          return (latest.paysys as Panel).history.some(
            (entry) => entry.type === "notification" && entry.reported_status === "3"
          )
        })
      })

      it("refresh when PaySys is down: 502 with a message, nothing changes", async () => {
        const { orderId, sessionId } = await paidOrder()
        const before = await panelWithProcessedNotification(orderId)
        await sandbox.post("/faults", {
          kind: "http_5xx",
          method: "paysys.check_payment",
          count: 10,
          partnerTransId: `${sessionId}-1`,
        })
        const refreshed = await refreshPanel(orderId)
        expect(refreshed.status).toBe(502)
        expect(refreshed.data.message).toMatch(/PaySys/)
        await sandbox.delete("/faults")
        const after = (await getPanel(orderId)).data.paysys as Panel
        expect(after.checked_at).toBe(before.checked_at)
      })
    })

    describe("an order not paid with PaySys", () => {
      it("answers { paysys: null } on both routes", async () => {
        await api.post(
          `/admin/regions/${store.regions.uzs}`,
          { payment_providers: ["pp_paysys_paysys", "pp_system_default"] },
          admin
        )
        const cart = await storefront.cartReadyForPayment("uzs", [
          { variantId: store.products[1].variantId, quantity: 1 },
        ])
        const { data: collection } = await api.post(
          "/store/payment-collections",
          { cart_id: cart.id },
          storefront.headers
        )
        await api.post(
          `/store/payment-collections/${collection.payment_collection.id}/payment-sessions`,
          { provider_id: "pp_system_default" },
          storefront.headers
        )
        const completed = await storefront.complete(cart.id)
        expect(completed.data.type).toBe("order")
        const orderId = completed.data.order.id

        const get = await getPanel(orderId)
        expect([get.status, get.data]).toEqual([200, { paysys: null }])
        const post = await refreshPanel(orderId)
        expect([post.status, post.data]).toEqual([200, { paysys: null }])
      })
    })

    describe("an unknown order", () => {
      it("answers 404 on both routes", async () => {
        const get = await getPanel("order_01JUNKNOWNUNKNOWNUNKNOWN00")
        const post = await refreshPanel("order_01JUNKNOWNUNKNOWNUNKNOWN00")
        expect([get.status, post.status]).toEqual([404, 404])
        expect(get.data.message).toMatch(/order_01JUNKNOWNUNKNOWNUNKNOWN00/)
      })
    })
  },
})

function expectSortedByTime(history: Record<string, any>[]) {
  const times = history.map((entry) => Date.parse(entry.at))
  expect(times.every((t) => Number.isFinite(t))).toBe(true)
  expect([...times].sort((a, b) => a - b)).toEqual(times)
}
