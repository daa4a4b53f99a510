import http from "node:http"
import axios from "axios"
import { integrationTestRunner } from "../helpers/test-runner"
import reconcilePaysysPayments from "../../src/jobs/reconcile-paysys-payments"
import { signedRequest } from "../../src/paysys-form"
import { seedStore, SeededStore } from "../../scripts/seed-store"
import { loginAdmin } from "../helpers/admin"
import { sandboxControl, Storefront } from "../helpers/checkout"
import { useEnv } from "../helpers/env"
import { FORM_SECRET, paidFormOrder } from "../helpers/hosted-form"
import { waitFor } from "../helpers/wait"

jest.setTimeout(300_000)

/** Another loopback address: a client connecting from it is not the sandbox (127.0.0.1 or ::1). */
const STRANGER = "127.0.0.2"

/*
 * Attacks on the hosted form's merchant API, each over HTTP against the app as a store deploys
 * it: SIGN_TIME freshness at its default, no trusted proxies, and the loopback (where the sandbox
 * calls from) as PaySys's only callback address.
 */
useEnv({ PAYSYS_FORM_CALLBACK_IP_ALLOW_LIST: "127.0.0.1,::1" })

integrationTestRunner({
  testSuite: ({ api, getContainer, dbConnection }) => {
    let store: SeededStore
    let storefront: Storefront
    let admin: { headers: Record<string, string> }
    const sandbox = sandboxControl()
    const strangerAgent = new http.Agent({ localAddress: STRANGER })

    beforeAll(async () => {
      store = await seedStore(getContainer())
      storefront = new Storefront(api, store)
      admin = await loginAdmin(api, getContainer())
    })

    beforeEach(async () => {
      await sandbox.post("/reset")
    })

    afterAll(() => strangerAgent.destroy())

    /** A callback to the merchant API; `from` STRANGER connects from that address instead of 127.0.0.1. */
    function call(
      path: string,
      body: unknown,
      { headers = {}, from }: { headers?: Record<string, string>; from?: string } = {}
    ) {
      return axios.post(
        `http://127.0.0.1:${process.env.PORT}/hooks/paysys-form/${path}`,
        typeof body === "string" ? body : JSON.stringify(body),
        {
          headers: { "content-type": "application/json", ...headers },
          httpAgent: from === STRANGER ? strangerAgent : undefined,
          validateStatus: () => true,
          maxBodyLength: Infinity,
        }
      )
    }

    const attempt = async (partnerTransId: string) =>
      (await dbConnection.raw(`select * from paysys_attempt where partner_trans_id = ?`, [partnerTransId])).rows[0]

    const refundsOf = async (orderId: string) => {
      const { data } = await api.get(`/admin/orders/${orderId}?fields=id,*payment_collections.payments.refunds`, admin)
      return data.order.payment_collections[0].payments[0].refunds ?? []
    }

    const sandboxStatus = async (partnerTransId: string) =>
      (await sandbox.get(`/form/payments?merchant_trans_id=${encodeURIComponent(partnerTransId)}`)).data.payments[0]
        .status

    describe("a genuine Notify played back with its digits re-split", () => {
      it("as a Cancel (SIGN_TIME '2'+T) is refused with -8 and books nothing; the Notify itself, repeated, is answered 0", async () => {
        const { orderId, partnerTransId, agrTransId, vendorTransId } = await paidFormOrder(
          storefront,
          store,
          getContainer(),
          dbConnection
        )
        const notify = signedRequest("notify", FORM_SECRET, {
          AGR_TRANS_ID: Number(agrTransId),
          VENDOR_TRANS_ID: vendorTransId,
          STATUS: 2,
          SIGN_TIME: Date.now(),
        })
        expect((await call("notify", notify)).data).toEqual({ ERROR: 0, ERROR_NOTE: "Success" })

        const forgedCancel = {
          AGR_TRANS_ID: notify.AGR_TRANS_ID,
          VENDOR_TRANS_ID: notify.VENDOR_TRANS_ID,
          SIGN_TIME: `2${notify.SIGN_TIME}`,
          SIGN_STRING: notify.SIGN_STRING,
        }
        expect(signedRequest("cancel", FORM_SECRET, forgedCancel).SIGN_STRING).toBe(notify.SIGN_STRING)
        expect((await call("cancel", forgedCancel)).data).toEqual({ ERROR: -8, ERROR_NOTE: "Error in request" })

        // PaySys retries: the very same Notify again gets the same answer
        expect((await call("notify", notify)).data).toEqual({ ERROR: 0, ERROR_NOTE: "Success" })
        const row = await attempt(partnerTransId)
        expect(row.state).toBe("captured")
        expect(row.form.cancel_accepted_at ?? null).toBeNull()
        expect(await refundsOf(orderId)).toEqual([])
        expect(
          (await dbConnection.raw(`select * from paysys_refund where partner_trans_id = ?`, [partnerTransId])).rows
        ).toEqual([])
        expect(await sandboxStatus(partnerTransId)).toBe("paid")
      })

      it("as a Statement listing every payment, an Info, or another Notify: each refused, the signature belongs to the Notify", async () => {
        const { agrTransId, vendorTransId } = await paidFormOrder(storefront, store, getContainer(), dbConnection)
        const signTime = Date.now()
        const notify = signedRequest("notify", FORM_SECRET, {
          AGR_TRANS_ID: Number(agrTransId),
          VENDOR_TRANS_ID: vendorTransId,
          STATUS: 2,
          SIGN_TIME: signTime,
        })
        expect((await call("notify", notify)).data).toEqual({ ERROR: 0, ERROR_NOTE: "Success" })
        const digits = `${agrTransId}${vendorTransId}2`
        // the first digit as FROM, the rest as TO (a split whose TO has no leading zero), T as SIGN_TIME
        const cut = [...digits].findIndex((digit, index) => index > 0 && digit !== "0")
        const statement = {
          FROM: digits.slice(0, cut),
          TO: digits.slice(cut),
          SIGN_TIME: signTime,
          SIGN_STRING: notify.SIGN_STRING,
        }
        expect(signedRequest("statement", FORM_SECRET, statement).SIGN_STRING).toBe(notify.SIGN_STRING)
        expect((await call("statement", statement)).data).toEqual({ ERROR: -8, ERROR_NOTE: "Error in request" })

        const info = { MERCHANT_TRANS_ID: digits, SIGN_TIME: signTime, SIGN_STRING: notify.SIGN_STRING }
        expect((await call("info", info)).data).toEqual({ ERROR: -1, ERROR_NOTE: "SIGN CHECK FAILED!" })
        const agr = String(agrTransId)
        const resplit = {
          AGR_TRANS_ID: agr.slice(0, -1),
          VENDOR_TRANS_ID: `${agr.slice(-1)}${vendorTransId}`,
          STATUS: 2,
          SIGN_TIME: signTime,
          SIGN_STRING: notify.SIGN_STRING,
        }
        if (!agr.endsWith("0")) {
          expect((await call("notify", resplit)).data).toEqual({ ERROR: -1, ERROR_NOTE: "SIGN CHECK FAILED!" })
        }
        const recorded = (
          await dbConnection.raw(`select callback, fields from paysys_form_signature where sign_string = ?`, [
            notify.SIGN_STRING,
          ])
        ).rows
        expect(recorded).toEqual([
          {
            callback: "notify",
            fields: {
              AGR_TRANS_ID: agr,
              VENDOR_TRANS_ID: String(vendorTransId),
              STATUS: "2",
              SIGN_TIME: String(signTime),
            },
          },
        ])
      })
    })

    it("a correctly signed Notify whose SIGN_TIME is in 2001 is refused with -1", async () => {
      const { partnerTransId, agrTransId, vendorTransId } = await paidFormOrder(
        storefront,
        store,
        getContainer(),
        dbConnection
      )
      const old = signedRequest("notify", FORM_SECRET, {
        AGR_TRANS_ID: Number(agrTransId),
        VENDOR_TRANS_ID: vendorTransId,
        STATUS: 3,
        SIGN_TIME: Date.UTC(2001, 10, 1),
      })
      expect((await call("notify", old)).data).toEqual({ ERROR: -1, ERROR_NOTE: "SIGN CHECK FAILED!" })
      expect((await attempt(partnerTransId)).form.notified).toEqual([2])
    })

    it("a Cancel the status API contradicts (still paid) books nothing, is answered -4, and the merchant sees it; PaySys's own Cancel is booked once", async () => {
      const { orderId, partnerTransId, agrTransId, vendorTransId } = await paidFormOrder(
        storefront,
        store,
        getContainer(),
        dbConnection
      )
      const cancel = signedRequest("cancel", FORM_SECRET, {
        AGR_TRANS_ID: Number(agrTransId),
        VENDOR_TRANS_ID: vendorTransId,
        SIGN_TIME: Date.now(),
      })
      expect((await call("cancel", cancel)).data).toEqual({ ERROR: -4, ERROR_NOTE: "Already paid" })
      expect(await refundsOf(orderId)).toEqual([])
      const row = await attempt(partnerTransId)
      expect(row.state).toBe("captured")
      expect(row.form.cancel_accepted_at ?? null).toBeNull()
      const panel = (await api.get(`/admin/paysys/orders/${orderId}`, admin)).data.paysys
      expect(panel.attention).toContainEqual({
        type: "cancel_contradicted",
        partner_trans_id: partnerTransId,
        at: expect.any(String),
        reason: expect.stringMatching(/^the status API answered ERROR 0 .*nothing was refunded/),
      })

      // PaySys cancelling it for real: its status API no longer says paid while it asks
      const genuine = (await sandbox.post("/form/cancel", { agr_trans_id: agrTransId })).data
      expect(genuine.answer).toEqual({ ERROR: 0, ERROR_NOTE: "Success" })
      const refunds = await waitFor("the Medusa refund", async () => {
        const found = await refundsOf(orderId)
        return found.length ? found : null
      })
      expect(refunds).toHaveLength(1)
      expect(await sandboxStatus(partnerTransId)).toBe("cancelled")
    })

    it("a Notify 3 the status API contradicts (still paid) books nothing, is answered -4, and the merchant sees it; unreachable, -7", async () => {
      const { orderId, partnerTransId, agrTransId, vendorTransId } = await paidFormOrder(
        storefront,
        store,
        getContainer(),
        dbConnection
      )
      const notify3 = signedRequest("notify", FORM_SECRET, {
        AGR_TRANS_ID: Number(agrTransId),
        VENDOR_TRANS_ID: vendorTransId,
        STATUS: 3,
        SIGN_TIME: Date.now(),
      })
      // the status API unreachable until the fault is lifted (not for one call: a check of the
      // attempt still running after its order was placed could take that one): "try again" (-7)
      await sandbox.post("/faults", { kind: "http_5xx", method: "form.payment_status", partnerTransId })
      expect((await call("notify", notify3)).data).toEqual({ ERROR: -7, ERROR_NOTE: "Failed to update user" })
      expect((await attempt(partnerTransId)).form.notified).toEqual([2])
      await sandbox.delete("/faults")
      expect((await call("notify", notify3)).data).toEqual({ ERROR: -4, ERROR_NOTE: "Already paid" })
      // PaySys repeating it gets the same answer
      expect((await call("notify", notify3)).data).toEqual({ ERROR: -4, ERROR_NOTE: "Already paid" })
      const row = await attempt(partnerTransId)
      expect(row.state).toBe("captured")
      expect(row.form.notified).toEqual([2])
      await reconcilePaysysPayments(getContainer())
      expect(await refundsOf(orderId)).toEqual([])
      expect(
        (await dbConnection.raw(`select * from paysys_refund where partner_trans_id = ?`, [partnerTransId])).rows
      ).toEqual([])
      const panel = (await api.get(`/admin/paysys/orders/${orderId}`, admin)).data.paysys
      expect(panel.attention).toContainEqual({
        type: "cancel_contradicted",
        partner_trans_id: partnerTransId,
        at: expect.any(String),
        reason: expect.stringMatching(
          /^Notify 3 \(cancelled\): the status API answered ERROR 0 .*nothing was refunded/
        ),
      })
      expect(await sandboxStatus(partnerTransId)).toBe("paid")
    })

    it("the reconciliation job purges signatures past the SIGN_TIME window, keeps fresh ones; a purged one replayed is still refused", async () => {
      const { partnerTransId, agrTransId, vendorTransId } = await paidFormOrder(
        storefront,
        store,
        getContainer(),
        dbConnection
      )
      const signTime = Date.now() - 3 * 3600_000
      const old = signedRequest("notify", FORM_SECRET, {
        AGR_TRANS_ID: Number(agrTransId),
        VENDOR_TRANS_ID: vendorTransId,
        STATUS: 3,
        SIGN_TIME: signTime,
      })
      const fields = {
        AGR_TRANS_ID: agrTransId,
        VENDOR_TRANS_ID: String(vendorTransId),
        STATUS: "3",
        SIGN_TIME: String(signTime),
      }
      // accepted three hours ago (with its SIGN_TIME then): the window is 10 minutes
      await dbConnection.raw(
        `insert into paysys_form_signature (id, callback, sign_string, fields, created_at, updated_at) values ('psfsig_old', 'notify', ?, ?::jsonb, ?, ?)`,
        [old.SIGN_STRING.toLowerCase(), JSON.stringify(fields), new Date(signTime), new Date(signTime)]
      )
      const fresh = (
        await dbConnection.raw(`select sign_string from paysys_form_signature where id <> 'psfsig_old'`)
      ).rows.map((r: { sign_string: string }) => r.sign_string)
      expect(fresh.length).toBeGreaterThan(0) // the genuine Pay and Notify 2 of the order

      const result = await reconcilePaysysPayments(getContainer())
      expect(result.purgedSignatures).toBe(1)
      const left = (await dbConnection.raw(`select id, sign_string from paysys_form_signature`)).rows
      expect(left.map((r: { id: string }) => r.id)).not.toContain("psfsig_old")
      expect(left.map((r: { sign_string: string }) => r.sign_string).sort()).toEqual([...fresh].sort())

      // its replay is refused by SIGN_TIME's freshness before any signature is looked up
      expect((await call("notify", old)).data).toEqual({ ERROR: -1, ERROR_NOTE: "SIGN CHECK FAILED!" })
      expect((await attempt(partnerTransId)).form.notified).toEqual([2])
    })

    it("a Statement over more than 31 days is refused with -8; over a day it lists the payment", async () => {
      const { agrTransId } = await paidFormOrder(storefront, store, getContainer(), dbConnection)
      const now = Date.now()
      const statement = (from: number) =>
        signedRequest("statement", FORM_SECRET, { FROM: from, TO: now + 60_000, SIGN_TIME: now })
      expect((await call("statement", statement(now - 40 * 86_400_000))).data).toEqual({
        ERROR: -8,
        ERROR_NOTE: "Error in request",
      })
      const day = (await call("statement", statement(now - 86_400_000))).data
      expect(day.ERROR).toBe(0)
      expect(day.TRANSACTIONS.map((t: { AGR_TRANS_ID: number }) => String(t.AGR_TRANS_ID))).toContain(agrTransId)
    })

    describe("an oversized body", () => {
      const huge = JSON.stringify({ AGR_TRANS_ID: 1, VENDOR_TRANS_ID: 1, STATUS: 2, PADDING: "x".repeat(300_000) })

      it("is answered -8, HTTP 200 JSON, never a 500", async () => {
        const answer = await call("notify", huge)
        expect(answer.status).toBe(200)
        expect(answer.headers["content-type"]).toMatch(/application\/json/)
        expect(answer.data).toEqual({ ERROR: -8, ERROR_NOTE: "Error in request" })
        // and the server still answers
        expect((await call("notify", "{}")).data).toEqual({ ERROR: -8, ERROR_NOTE: "Error in request" })
      })

      it("from an address off the allow-list is refused for its address (-1) before the body is read", async () => {
        const answer = await call("notify", huge, { from: STRANGER })
        expect(answer.status).toBe(200)
        expect(answer.data).toEqual({ ERROR: -1, ERROR_NOTE: "SIGN CHECK FAILED!" })
      })
    })

    describe("the caller's address, with no trusted proxies", () => {
      const info = () => signedRequest("info", FORM_SECRET, { MERCHANT_TRANS_ID: "-01", SIGN_TIME: Date.now() })

      it("is its socket's: a forged X-Forwarded-For naming an allowed address does not get a stranger in", async () => {
        const forged = await call("info", info(), { from: STRANGER, headers: { "x-forwarded-for": "127.0.0.1" } })
        expect(forged.data).toEqual({ ERROR: -1, ERROR_NOTE: "SIGN CHECK FAILED!" })
      })

      it("is its socket's: an X-Forwarded-For naming another address does not shut the allowed caller out", async () => {
        const allowed = await call("info", info(), { headers: { "x-forwarded-for": "203.0.113.7" } })
        expect(allowed.data).toEqual({ ERROR: -5, ERROR_NOTE: "User does not exist" })
      })
    })
  },
})
