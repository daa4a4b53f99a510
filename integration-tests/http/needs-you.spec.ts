import axios from "axios"
import { integrationTestRunner } from "../helpers/test-runner"
import reconcilePaysysPayments from "../../src/jobs/reconcile-paysys-payments"
import { PAYSYS_MODULE, PaysysModuleService } from "../../src/modules/paysys"
import { reverseAttempt } from "../../src/modules/paysys/reverse-attempt"
import BigNumber from "bignumber.js"
import { fromMinorUnits } from "../../src/paysys"
import { signedRequest } from "../../src/paysys-form"
import { seedStore, SeededStore } from "../../scripts/seed-store"
import { loginAdmin } from "../helpers/admin"
import { passThreeDs, sandboxControl, sandboxPaysysClient, Storefront, THREE_DS_CODE } from "../helpers/checkout"
import { FORM_SECRET, paidFormOrder } from "../helpers/hosted-form"
import { useEnv } from "../helpers/env"
import { waitFor } from "../helpers/wait"

jest.setTimeout(300_000)

// the job looks at attempts after 1 s, then every second; notifications park after 3 failures
useEnv({
  PAYSYS_RECONCILE_AFTER_SECONDS: "1",
  PAYSYS_ABANDON_AFTER_SECONDS: "2",
  PAYSYS_REVERSE_AFTER_SECONDS: "1",
  PAYSYS_RECONCILE_BACKOFF_SECONDS: "1",
  PAYSYS_NOTIFICATION_MAX_ATTEMPTS: "3",
  PAYSYS_TIMEOUT_MS: "1500",
})

type Item = Record<string, any>

/**
 * The merchant's "Needs you" over the admin API: every kind of item the plugin cannot settle
 * alone reaches the list, with or without an order, and leaves it only through its action,
 * recorded with the admin who took it; each reaches the admin's notification feed once.
 */
integrationTestRunner({
  testSuite: ({ api, getContainer, dbConnection }) => {
    let store: SeededStore
    let storefront: Storefront
    let admin: { headers: Record<string, string> }
    let adminUserId: string
    const sandbox = sandboxControl()
    const anyStatus = { validateStatus: () => true }

    beforeAll(async () => {
      store = await seedStore(getContainer())
      storefront = new Storefront(api, store)
      admin = await loginAdmin(api, getContainer())
      adminUserId = (await api.get("/admin/users/me", admin)).data.user.id
    })
    afterEach(async () => {
      await sandbox.post("/callbacks", { mode: "normal" })
      await sandbox.delete("/faults")
    })

    const paysys = () => getContainer().resolve<PaysysModuleService>(PAYSYS_MODULE)
    const listNeedsYou = async (query = "limit=100") => (await api.get(`/admin/paysys/needs-you?${query}`, admin)).data
    const itemOf = async (predicate: (item: Item) => boolean): Promise<Item | null> =>
      (await listNeedsYou()).items.find(predicate) ?? null
    const attempt = async (partnerTransId: string) =>
      (await dbConnection.raw(`select * from paysys_attempt where partner_trans_id = ?`, [partnerTransId])).rows[0]
    const resolve = (partnerTransId: string, body: unknown) =>
      api.post(`/admin/paysys/needs-you/attempts/${partnerTransId}/resolve`, body, { ...admin, ...anyStatus })
    const lastHistory = async (partnerTransId: string) => (await attempt(partnerTransId)).history.at(-1)

    /** Settlement's decision to give back a paid attempt no order uses, as the ledger records it. */
    async function reversing(paid: { partner_trans_id: string }) {
      const { ledger } = paysys()
      expect(await ledger.startReversal(paid.partner_trans_id, new Date(), "cart_gone")).toBe(true)
      return ledger.retrieveAttempt(paid.partner_trans_id)
    }

    /**
     * An attempt paid at PaySys that no order uses, as the ledger has it once checked (the
     * sandbox's PaySys is not asked: what makes it parked is the plugin's own code or state).
     */
    async function paidAttemptWithoutOrder(kind: "form" | "card", id: string) {
      const { ledger } = paysys()
      await ledger.createAttempt(
        {
          partner_trans_id: `payses_${id}-1`,
          provider_id: kind === "form" ? "pp_paysys-form_paysys-form" : "pp_paysys_paysys",
          kind,
          session_id: `payses_${id}`,
          payment_collection_id: `pay_col_${id}`,
          amount: "37500000",
          currency: "uzs",
          next_check_at: new Date(Date.now() + 3600_000),
        },
        "fixture: attempt recorded"
      )
      return ledger.updateAttempt(`payses_${id}-1`, {
        event: "paysys_paid",
        paysys_status: 2,
        transaction_id: `tx_${id}`,
        paid_at: new Date(),
        bank: { card_masked: "860000******0001", rrn: "123456789012" },
      })
    }

    describe("the routes", () => {
      it("answer 401 without an admin, 400 for a bad page or body", async () => {
        for (const headers of [{}, { headers: { authorization: "Bearer not-a-token" } }, storefront.headers]) {
          expect((await api.get("/admin/paysys/needs-you", { ...headers, ...anyStatus })).status).toBe(401)
          expect((await api.get("/admin/paysys/reconciliation", { ...headers, ...anyStatus })).status).toBe(401)
          expect(
            (
              await api.post(
                "/admin/paysys/needs-you/attempts/x/resolve",
                { resolution: "not_paid" },
                { ...headers, ...anyStatus }
              )
            ).status
          ).toBe(401)
          expect(
            (await api.post("/admin/paysys/needs-you/notifications/x/retry", {}, { ...headers, ...anyStatus })).status
          ).toBe(401)
        }
        const badPage = await api.get("/admin/paysys/needs-you?limit=1000", { ...admin, ...anyStatus })
        expect(badPage.status).toBe(400)
        expect(badPage.data.message).toMatch(/limit/)
        const badBody = await resolve("payses_none-1", { resolution: "forgot" })
        expect(badBody.status).toBe(400)
        expect(badBody.data.message).toMatch(/resolution/)
        expect((await resolve("payses_none-1", { resolution: "not_paid" })).status).toBe(404)
      })
    })

    describe("attempts parked for the merchant, with no order", () => {
      it("a form payment no order can use is listed with its amount, card and action; recorded refunded in the cabinet, it leaves", async () => {
        const paid = await paidAttemptWithoutOrder("form", "formnoorder")
        const { ledger, schedule } = paysys()
        const parked = await reverseAttempt({ client: null, ledger, schedule }, await reversing(paid))
        expect(parked.state).toBe("attention")

        const item = await itemOf((i) => i.partner_trans_id === paid.partner_trans_id)
        expect(item).toMatchObject({
          kind: "form_refund_in_cabinet",
          action: "record_refunded_in_cabinet",
          method: "form",
          order_id: null,
          amount: "37500000",
          amount_major: fromMinorUnits("37500000", "uzs"),
          currency: "uzs",
          card_masked: "860000******0001",
          paid_at: expect.any(String),
          reason: expect.stringMatching(/refund it in the PaySys cabinet/),
        })
        // it took the money: "not paid" is not what it asks for
        const refused = await resolve(paid.partner_trans_id, { resolution: "not_paid" })
        expect(refused.status).toBe(400)
        expect(refused.data.message).toMatch(/refund it in the PaySys cabinet/)
        expect(await itemOf((i) => i.partner_trans_id === paid.partner_trans_id)).not.toBeNull()

        const resolved = await resolve(paid.partner_trans_id, { resolution: "refunded_in_cabinet" })
        expect(resolved.status).toBe(200)
        expect(resolved.data.attempt).toEqual({
          partner_trans_id: paid.partner_trans_id,
          state: "reversed",
          outcome: "refunded_in_paysys_cabinet",
        })
        expect(await itemOf((i) => i.partner_trans_id === paid.partner_trans_id)).toBeNull()
        expect(await lastHistory(paid.partner_trans_id)).toMatchObject({
          event: expect.stringMatching(/refunded in the PaySys cabinet/),
          actor: adminUserId,
        })
        // once only
        expect((await resolve(paid.partner_trans_id, { resolution: "refunded_in_cabinet" })).status).toBe(400)
      })

      it("a card payment whose reversal PaySys kept refusing, and an attempt unsettled at the horizon", async () => {
        const refusedPaid = await paidAttemptWithoutOrder("card", "refusedreversal")
        await paysys().ledger.updateAttempt(refusedPaid.partner_trans_id, { event: "reversal_started" })
        await paysys().ledger.updateAttempt(refusedPaid.partner_trans_id, {
          event: "reversal_refused_at_horizon",
          last_error: "Refund is not allowed",
          next_check_at: null,
        })
        const unsettled = await paidAttemptWithoutOrder("card", "unsettled")
        await paysys().ledger.updateAttempt(unsettled.partner_trans_id, {
          event: "paysys_open_at_horizon",
          paysys_status: 1,
          outcome: "still_open_at_horizon",
          next_check_at: null,
        })
        expect(await itemOf((i) => i.partner_trans_id === refusedPaid.partner_trans_id)).toMatchObject({
          kind: "reversal_refused",
          action: "record_refunded_in_cabinet",
          method: "card",
          reason: "Refund is not allowed",
        })
        expect(await itemOf((i) => i.partner_trans_id === unsettled.partner_trans_id)).toMatchObject({
          kind: "unsettled_at_horizon",
          action: "record_refunded_in_cabinet",
        })

        expect((await resolve(refusedPaid.partner_trans_id, { resolution: "refunded_in_cabinet" })).status).toBe(200)
        const notPaid = await resolve(unsettled.partner_trans_id, { resolution: "not_paid" })
        expect(notPaid.data.attempt).toMatchObject({ state: "failed", outcome: "not_paid_per_paysys_cabinet" })
        expect(await lastHistory(unsettled.partner_trans_id)).toMatchObject({ actor: adminUserId })
        const { items } = await listNeedsYou()
        expect(items.map((i: Item) => i.partner_trans_id)).not.toEqual(
          expect.arrayContaining([refusedPaid.partner_trans_id])
        )
        expect(items.map((i: Item) => i.partner_trans_id)).not.toEqual(
          expect.arrayContaining([unsettled.partner_trans_id])
        )
      })
    })

    const cartAtThreeDs = (number?: string) => storefront.cartAtThreeDs(number)
    const paidOrder = () => storefront.paidOrder(admin)

    describe("a refund in doubt with no order", () => {
      it("a reversal reconciliation started whose answer was lost is settled from Needs you, with who said so", async () => {
        const paid = await paidAttemptWithoutOrder("card", "doubtnoorder")
        const { ledger } = paysys()
        const doubted = async (key: string) => {
          const row = await ledger.refunds.create({
            attempt_id: paid.id,
            partner_trans_id: paid.partner_trans_id,
            key,
            kind: "refund",
            origin: "reconciliation",
            amount: paid.amount,
            currency: paid.currency,
          })
          await ledger.refunds.update(row.id, { event: "no_answer" })
          const item = await itemOf((i) => i.refund_id === row.id)
          expect(item).toMatchObject({
            kind: "refund_in_doubt",
            action: "settle_refund_in_doubt",
            order_id: null,
            amount_major: "375000",
          })
          return item!
        }
        const settle = (refundId: string, body: unknown) =>
          api.post(`/admin/paysys/needs-you/refunds/${refundId}/outcome`, body, { ...admin, ...anyStatus })

        const notMade = await doubted(`reversal-refund:${paid.partner_trans_id}:0`)
        expect((await settle(notMade.refund_id, { made: "maybe" })).data.message).toMatch(/made/)
        expect((await settle(notMade.refund_id, { made: false })).data.refund).toMatchObject({ state: "refused" })
        expect(await itemOf((i) => i.key === notMade.key)).toBeNull()
        expect(await lastHistory(paid.partner_trans_id)).toMatchObject({
          event: expect.stringMatching(/not made/),
          actor: adminUserId,
        })
        expect((await settle(notMade.refund_id, { made: false })).status).toBe(400)

        // made: the money is given back; reconciliation looks at the attempt at once and closes it
        const made = await doubted(`reversal-refund:${paid.partner_trans_id}:1`)
        expect((await settle(made.refund_id, { made: true })).data.refund).toMatchObject({ state: "accepted" })
        expect(await itemOf((i) => i.key === made.key)).toBeNull()
        expect(await lastHistory(paid.partner_trans_id)).toMatchObject({
          event: expect.stringMatching(/ made,/),
          actor: adminUserId,
        })
        expect((await attempt(paid.partner_trans_id)).next_check_at.getTime()).toBeLessThanOrEqual(Date.now())
        expect((await settle("psref_none", { made: true })).status).toBe(404)
      })
    })

    describe("an order's payment", () => {
      it("a refund in doubt is listed with its order; settled as made from Needs you, Medusa records it and it leaves", async () => {
        const { payment, partnerTransId, orderId } = await paidOrder()
        const refund = (amount: number) =>
          api.post(`/admin/payments/${payment.id}/refund`, { amount }, { ...admin, ...anyStatus })
        expect((await refund(30_000)).status).toBe(200)
        await sandbox.post("/faults", {
          kind: "timeout",
          method: "paysys.refund_payment",
          applyFirst: true,
          count: 1,
          partnerTransId,
        })
        expect((await refund(20_000)).status).toBeGreaterThanOrEqual(400)
        const item = await waitFor("the refund in doubt in Needs you", async () => {
          await reconcilePaysysPayments(getContainer())
          return itemOf((i) => i.kind === "refund_in_doubt" && i.partner_trans_id === partnerTransId)
        })
        expect(item).toMatchObject({
          action: "settle_refund_in_doubt",
          order_id: orderId,
          amount_major: "20000",
          refund_id: expect.any(String),
        })
        // the order panel's route is money-safety's; this is the one the PaySys page calls
        const settled = await api.post(
          `/admin/paysys/needs-you/refunds/${item!.refund_id}/outcome`,
          { made: true },
          admin
        )
        expect(settled.data.refund).toMatchObject({ state: "accepted" })
        expect(await itemOf((i) => i.key === item!.key)).toBeNull()
        const { data } = await api.get(`/admin/payments/${payment.id}?fields=*refunds`, admin)
        expect(data.payment.refunds.map((r: { amount: number }) => Number(r.amount)).sort()).toEqual([20_000, 30_000])
        // Medusa's refund then adds the provider's own entries
        expect((await attempt(partnerTransId)).history).toContainEqual(
          expect.objectContaining({ event: expect.stringMatching(/^refund in doubt made,/), actor: adminUserId })
        )
      })

      it("a refund made in the PaySys cabinet is listed with its order; recorded with its amount, it leaves", async () => {
        const { partnerTransId, orderId } = await paidOrder()
        await sandboxPaysysClient().refundPayment({
          partner_trans_id: partnerTransId,
          amount: "5000000",
          currency: "uzs",
        })
        await sandbox.post("/notify", { partner_trans_id: partnerTransId })
        const item = await waitFor("the unexplained refund in Needs you", () =>
          itemOf((i) => i.kind === "refund_unexplained" && i.partner_trans_id === partnerTransId)
        )
        expect(item).toMatchObject({ action: "record_refund_made_at_paysys", order_id: orderId })
        expect(
          (await api.post(`/admin/paysys/orders/${orderId}/paysys-refunds`, { amount: "50000" }, admin)).status
        ).toBe(200)
        expect(await itemOf((i) => i.key === item!.key)).toBeNull()
        expect(await lastHistory(partnerTransId)).toMatchObject({
          event: expect.stringMatching(/recorded by the merchant/),
          actor: adminUserId,
        })
      })
    })

    describe("a cancellation PaySys's status contradicts", () => {
      const formCallback = (path: string, body: unknown) =>
        axios.post(`http://127.0.0.1:${process.env.PORT}/hooks/paysys-form/${path}`, body, {
          validateStatus: () => true,
        })
      const acknowledge = (partnerTransId: string, body: unknown) =>
        api.post(`/admin/paysys/needs-you/attempts/${partnerTransId}/acknowledge-contradiction`, body, {
          ...admin,
          ...anyStatus,
        })

      it("a contradicted Cancel, then Notify 3: listed, alerted once, gone once checked in the cabinet, with who checked", async () => {
        const { orderId, partnerTransId, agrTransId, vendorTransId } = await paidFormOrder(
          storefront,
          store,
          getContainer(),
          dbConnection
        )
        const ids = { AGR_TRANS_ID: Number(agrTransId), VENDOR_TRANS_ID: vendorTransId }
        const cancel = signedRequest("cancel", FORM_SECRET, { ...ids, SIGN_TIME: Date.now() })
        expect((await formCallback("cancel", cancel)).data).toMatchObject({ ERROR: -4 })
        const item = await itemOf((i) => i.kind === "cancel_contradicted" && i.partner_trans_id === partnerTransId)
        expect(item).toMatchObject({
          action: "acknowledge_contradiction",
          order_id: orderId,
          method: "form",
          amount: expect.any(String),
          paid_at: expect.any(String),
          reason: expect.stringMatching(/^the status API answered ERROR 0 .*nothing was refunded/),
        })

        await reconcilePaysysPayments(getContainer())
        await reconcilePaysysPayments(getContainer())
        const { data } = await api.get("/admin/notifications?channel=feed&limit=100&fields=id,channel,data", admin)
        const alerts = data.notifications.filter((n: { data: Item }) => n.data?.key === item!.key)
        expect(alerts).toHaveLength(1)
        expect(alerts[0].data.title).toMatch(/status API contradicts/)

        const unchecked = await acknowledge(partnerTransId, {})
        expect(unchecked.status).toBe(400)
        expect(unchecked.data.message).toMatch(/checked_in_cabinet/)
        expect((await acknowledge(partnerTransId, { checked_in_cabinet: true })).status).toBe(200)
        expect(await itemOf((i) => i.key === item!.key)).toBeNull()
        expect(await lastHistory(partnerTransId)).toMatchObject({
          event: expect.stringMatching(/checked in the PaySys cabinet/),
          actor: adminUserId,
        })
        const panel = (await api.get(`/admin/paysys/orders/${orderId}`, admin)).data.paysys
        expect(panel.attention.filter((a: Item) => a.type === "cancel_contradicted")).toEqual([])
        expect((await acknowledge(partnerTransId, { checked_in_cabinet: true })).status).toBe(400)

        // a Notify 3 contradicted later is a new item
        const notify3 = signedRequest("notify", FORM_SECRET, { ...ids, STATUS: 3, SIGN_TIME: Date.now() })
        expect((await formCallback("notify", notify3)).data).toMatchObject({ ERROR: -4 })
        const again = await itemOf((i) => i.kind === "cancel_contradicted" && i.partner_trans_id === partnerTransId)
        expect(again).toMatchObject({ reason: expect.stringMatching(/^Notify 3 \(cancelled\)/) })
        expect(again!.key).not.toBe(item!.key)
        expect((await attempt(partnerTransId)).state).toBe("captured")
      })
    })

    describe("a parked notification", () => {
      it("is listed; retried once PaySys answers again, it is processed and leaves, with who retried it", async () => {
        await sandbox.post("/callbacks", { mode: "hold" })
        const stuck = await cartAtThreeDs()
        await passThreeDs(stuck.confirmUrl, { code: THREE_DS_CODE })
        await sandbox.post("/faults", {
          kind: "http_5xx",
          method: "paysys.check_payment",
          count: 1000,
          partnerTransId: stuck.partnerTransId,
        })
        await sandbox.post("/callbacks/flush", { order: "fifo" })
        const item = await waitFor(
          "the parked notification in Needs you",
          async () => {
            await reconcilePaysysPayments(getContainer()).catch(() => undefined)
            return itemOf((i) => i.kind === "notification_parked" && i.partner_trans_id === stuck.partnerTransId)
          },
          60_000,
          500
        )
        expect(item).toMatchObject({
          action: "retry_notification",
          notification_id: expect.stringMatching(/^psnot_/),
          reason: expect.any(String),
        })

        await sandbox.delete("/faults")
        const retried = await api.post(
          `/admin/paysys/needs-you/notifications/${item!.notification_id}/retry`,
          {},
          admin
        )
        expect(retried.data).toEqual({ outcome: expect.any(String), error: null })
        expect(await itemOf((i) => i.key === item!.key)).toBeNull()
        const { rows } = await dbConnection.raw(
          `select processed_at, retried_by from paysys_notification where id = ?`,
          [item!.notification_id]
        )
        expect(rows[0]).toMatchObject({ processed_at: expect.any(Date), retried_by: adminUserId })
        expect(
          (
            await api.post(
              `/admin/paysys/needs-you/notifications/${item!.notification_id}/retry`,
              {},
              { ...admin, ...anyStatus }
            )
          ).status
        ).toBe(400)
      })
    })

    describe("the list", () => {
      it("pages as Medusa's admin lists do", async () => {
        for (const id of ["pageone", "pagetwo"]) {
          await paysys().ledger.updateAttempt((await paidAttemptWithoutOrder("card", id)).partner_trans_id, {
            event: "paysys_open_at_horizon",
            next_check_at: null,
          })
        }
        const all = await listNeedsYou()
        expect(all.count).toBeGreaterThanOrEqual(2)
        const second = await listNeedsYou("limit=1&offset=1")
        expect(second).toMatchObject({ count: all.count, limit: 1, offset: 1 })
        expect(second.items).toEqual([all.items[1]])
      })
    })

    describe("alerts", () => {
      it("an item entering Needs you reaches the admin's notification feed once", async () => {
        const paid = await paidAttemptWithoutOrder("form", "alerted")
        const { ledger, schedule } = paysys()
        await reverseAttempt({ client: null, ledger, schedule }, await reversing(paid))
        const item = await itemOf((i) => i.partner_trans_id === paid.partner_trans_id)
        await reconcilePaysysPayments(getContainer())
        await reconcilePaysysPayments(getContainer())
        const { data } = await api.get("/admin/notifications?channel=feed&limit=100&fields=id,channel,data", admin)
        const alerts = data.notifications.filter((n: { data: Item }) => n.data?.key === item!.key)
        expect(alerts).toHaveLength(1)
        expect(alerts[0].data).toMatchObject({
          title: expect.stringMatching(/refund it in the PaySys cabinet/),
          description: expect.stringContaining("860000******0001"),
        })
        const { rows } = await dbConnection.raw(`select sent_at from paysys_alert where item_key = ?`, [item!.key])
        expect(rows).toEqual([{ sent_at: expect.any(Date) }])
      })
    })

    describe("payments and the CSV export", () => {
      // the page's days are PaySys's cabinet's: Tashkent time by default (en-CA writes YYYY-MM-DD)
      const today = new Date().toLocaleDateString("en-CA", { timeZone: "Asia/Tashkent" })

      it("counts days in Tashkent time, as PaySys's cabinet does: a payment at 20:00 UTC is the next day's", async () => {
        const paid = await paidAttemptWithoutOrder("card", "lateevening")
        await dbConnection.raw(`update paysys_attempt set created_at = '2026-03-10T20:00:00Z' where id = ?`, [paid.id])
        const list = async (query: string) => (await api.get(`/admin/paysys/payments?${query}`, admin)).data
        const nextDay = await list("from=2026-03-11&to=2026-03-11&limit=500")
        // the page opens on today in this zone, whatever the merchant's browser keeps
        expect(nextDay.time_zone).toBe("Asia/Tashkent")
        expect(nextDay.payments.map((row: Item) => row.partner_trans_id)).toEqual([paid.partner_trans_id])
        expect(nextDay.totals).toEqual([
          { day: "2026-03-11", type: "payment", currency: "uzs", count: 1, amount: "37500000", amount_major: "375000" },
        ])
        expect((await list("from=2026-03-10&to=2026-03-10")).payments).toEqual([])
        const csv = await api.get("/admin/paysys/payments/export?from=2026-03-11&to=2026-03-11", {
          ...admin,
          responseType: "text",
        })
        expect((csv.data as string).trim().split("\r\n").slice(1)).toEqual([
          expect.stringContaining(paid.partner_trans_id),
        ])
        expect(
          (await api.get("/admin/paysys/payments/export?to=2026-03-10", { ...admin, responseType: "text" })).data
        ).not.toContain(paid.partner_trans_id)
      })

      it("lists the ledger's payments and refunds with their orders, filtered; the CSV's totals equal the ledger's", async () => {
        const { orderId, partnerTransId, payment } = await paidOrder()
        expect((await api.post(`/admin/payments/${payment.id}/refund`, { amount: 25_000 }, admin)).status).toBe(200)
        const list = async (query: string) => (await api.get(`/admin/paysys/payments?${query}`, admin)).data

        const paid = await list(`from=${today}&to=${today}&state=captured&method=card&currency=UZS&limit=500`)
        const own = paid.payments.find((row: Item) => row.partner_trans_id === partnerTransId)
        expect(own).toMatchObject({
          type: "payment",
          order_id: orderId,
          status: "refunded",
          rrn: expect.stringMatching(/^\d{12}$/),
        })
        expect(
          paid.payments.every(
            (row: Item) => row.state === "captured" && row.method !== "form" && row.currency === "uzs"
          )
        ).toBe(true)
        const refunds = await list(`type=refund&state=accepted`)
        expect(refunds.payments.find((row: Item) => row.partner_trans_id === partnerTransId)).toMatchObject({
          amount_major: "25000",
          order_id: orderId,
        })
        expect((await list("method=form&limit=500")).payments.every((row: Item) => row.method === "form")).toBe(true)
        const page = await list("limit=1&offset=1")
        expect(page).toMatchObject({ limit: 1, offset: 1, count: expect.any(Number) })
        expect(page.payments).toHaveLength(1)
        expect((await api.get("/admin/paysys/payments?from=yesterday", { ...admin, ...anyStatus })).status).toBe(400)

        // the CSV beside the ledger: every line, and the same totals per type and currency
        const csv = await api.get("/admin/paysys/payments/export", { ...admin, responseType: "text" })
        expect(csv.headers["content-type"]).toMatch(/^text\/csv/)
        const [header, ...lines] = (csv.data as string).trim().split("\r\n")
        expect(header).toBe(
          "transaction_id,partner_trans_id / MERCHANT_TRANS_ID,amount,currency,status,date,rrn,type,method,order_id"
        )
        const fromCsv = new Map<string, BigNumber>()
        for (const line of lines) {
          const [, , amount, currency, , , , type] = line.split(",")
          const key = `${type === "reversal" ? "refund" : type}:${currency.toLowerCase()}`
          fromCsv.set(key, (fromCsv.get(key) ?? new BigNumber(0)).plus(amount))
        }
        const { rows } = await dbConnection.raw(`
          select 'payment' as type, currency, sum(amount::numeric)::text as total, count(*)::int as n from paysys_attempt where deleted_at is null group by 1, 2
          union all
          select 'refund', currency, sum(amount::numeric)::text, count(*)::int from paysys_refund where deleted_at is null group by 1, 2`)
        expect(lines).toHaveLength(rows.reduce((sum: number, row: { n: number }) => sum + row.n, 0))
        const fromLedger = new Map<string, string>(
          rows.map((row: { type: string; currency: string; total: string }) => [
            `${row.type}:${row.currency}`,
            fromMinorUnits(row.total, row.currency as "uzs"),
          ])
        )
        expect(Object.fromEntries([...fromCsv].map(([key, total]) => [key, total.toFixed()]))).toEqual(
          Object.fromEntries(fromLedger)
        )
        // and the page's totals per day add up to the same
        const totals = (await list("")).totals as { type: string; currency: string; amount_major: string }[]
        const byKey = new Map<string, BigNumber>()
        for (const total of totals) {
          byKey.set(
            `${total.type}:${total.currency}`,
            (byKey.get(`${total.type}:${total.currency}`) ?? new BigNumber(0)).plus(total.amount_major)
          )
        }
        expect(Object.fromEntries([...byKey].map(([key, total]) => [key, total.toFixed()]))).toEqual(
          Object.fromEntries(fromLedger)
        )
      })
    })

    describe("reconciliation's health", () => {
      it("shows the job's runs, PaySys's errors in them, and what is due", async () => {
        // an attempt due while PaySys answers 503: the run meets a PaySys error
        const due = await cartAtThreeDs()
        await sandbox.post("/faults", {
          kind: "http_5xx",
          method: "paysys.check_payment",
          count: 1000,
          partnerTransId: due.partnerTransId,
        })
        await paysys().ledger.updateAttempt(due.partnerTransId, { next_check_at: new Date(Date.now() - 1000) })
        await reconcilePaysysPayments(getContainer())
        const { data } = await api.get("/admin/paysys/reconciliation", admin)
        const [last] = data.reconciliation.last_runs
        expect(last).toMatchObject({ skipped: false, duration_ms: expect.any(Number), failed: expect.any(Number) })
        expect(last.paysys_errors).toBeGreaterThanOrEqual(1)
        expect(data.reconciliation.last_hour.runs).toBeGreaterThanOrEqual(1)
        expect(data.reconciliation.last_hour.paysys_errors).toBeGreaterThanOrEqual(last.paysys_errors)
        expect(data.reconciliation.last_day.paysys_errors).toBeGreaterThanOrEqual(
          data.reconciliation.last_hour.paysys_errors
        )
        expect(data.reconciliation).toMatchObject({
          attempts_due: expect.any(Number),
          notifications_parked: expect.any(Number),
        })
      })
    })
  },
})
