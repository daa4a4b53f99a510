import axios from "axios"
import { integrationTestRunner } from "../helpers/test-runner"
import { signedRequest } from "../../src/paysys-form"
import { PAYSYS_FORM_PROVIDER_ID, seedStore, SeededStore } from "../../scripts/seed-store"
import { loginAdmin } from "../helpers/admin"
import { card, CARDS, sandboxControl, STOREFRONT_URL, Storefront } from "../helpers/checkout"
import { useEnv } from "../helpers/env"
import { FORM_SECRET, FORM_VENDOR_ID, orderOfCart, payOnForm } from "../helpers/hosted-form"
import { waitFor } from "../helpers/wait"

jest.setTimeout(300_000)

const AMOUNT_LIMIT_UZS = 1_000_000
const MAX_SKEW_MS = 5 * 60_000

/*
 * A store without PCI DSS: medusa-config.ts with only the hosted form's provider, and the plugin
 * given none of the card gateway's options. The form's protocol options are set (an amount
 * limit, a SIGN_TIME freshness check, the loopback as PaySys's only callback address, the
 * widget), and each is shown to take effect; the plugin trusts a reverse proxy on the loopback
 * (trustedProxies), so X-Forwarded-For names the caller there.
 */
useEnv({
  PAYSYS_PROVIDERS: "form",
  PAYSYS_FORM_AMOUNT_LIMITS: JSON.stringify({ uzs: { max: AMOUNT_LIMIT_UZS } }),
  PAYSYS_FORM_SIGN_TIME_MAX_SKEW_MS: String(MAX_SKEW_MS),
  // the sandbox calls from the loopback
  PAYSYS_FORM_CALLBACK_IP_ALLOW_LIST: "127.0.0.1,::1",
  PAYSYS_FORM_USE_WIDGET: "true",
  PAYSYS_TRUSTED_PROXIES: "loopback",
})

integrationTestRunner({
  testSuite: ({ api, getContainer, dbConnection }) => {
    let store: SeededStore
    let storefront: Storefront
    let admin: { headers: Record<string, string> }
    const sandbox = sandboxControl()
    const merchantApi = `http://localhost:${process.env.PORT}/hooks/paysys-form`

    beforeAll(async () => {
      store = await seedStore(getContainer())
      storefront = new Storefront(api, store)
      admin = await loginAdmin(api, getContainer())
    })

    beforeEach(async () => {
      await sandbox.post("/reset")
    })

    /** A UZS cart of `quantity` cushions (350,000 each, 25,000 shipping) and its form session request. */
    async function formSessionFor(quantity: number) {
      const cart = await storefront.cartReadyForPayment("uzs", [{ variantId: store.products[0].variantId, quantity }])
      const { data } = await api.post("/store/payment-collections", { cart_id: cart.id }, storefront.headers)
      const created = await api.post(
        `/store/payment-collections/${data.payment_collection.id}/payment-sessions`,
        { provider_id: PAYSYS_FORM_PROVIDER_ID, data: { return_url: `${STOREFRONT_URL}/checkout/paysys-return` } },
        { ...storefront.headers, validateStatus: () => true }
      )
      return {
        cart,
        collectionId: data.payment_collection.id as string,
        created,
        total: Number((await storefront.cart(cart.id)).total),
      }
    }

    function call(path: string, body: unknown, headers: Record<string, string> = {}) {
      return axios.post(`${merchantApi}/${path}`, JSON.stringify(body), {
        headers: { "content-type": "application/json", ...headers },
        validateStatus: () => true,
      })
    }

    const ledgerAttempts = async (collectionId: string) =>
      (
        await dbConnection.raw(
          `select partner_trans_id, agr_trans_id, state from paysys_attempt where payment_collection_id = ?`,
          [collectionId]
        )
      ).rows

    it("registers the form's provider only, and the store's regions offer it", async () => {
      const { data } = await api.get("/admin/payments/payment-providers", admin)
      const ids = data.payment_providers.map((p: { id: string }) => p.id)
      expect(ids).toContain(PAYSYS_FORM_PROVIDER_ID)
      expect(ids.filter((id: string) => id.startsWith("pp_paysys"))).toEqual([PAYSYS_FORM_PROVIDER_ID])
      const offered = await api.get(`/store/payment-providers?region_id=${store.regions.uzs}`, storefront.headers)
      expect(offered.data.payment_providers.map((p: { id: string }) => p.id)).toEqual([PAYSYS_FORM_PROVIDER_ID])
    })

    it("takes a payment on PaySys's form: the order is placed with a captured form payment of the cart's total", async () => {
      const { cart, created, total } = await formSessionFor(1)
      expect(created.status).toBe(200)
      const session = created.data.payment_collection.payment_sessions[0]
      // useWidget: the session tells the storefront where PaySys's checkout.js is
      expect(session.data.widget).toEqual({
        script_url: "https://paysys.uz/application/resources/js/checkout.js",
        form_url: "https://paysys.uz/pay-universal",
      })
      const page = await payOnForm(session.data.form_url, session.data.form_fields)
      expect(page).toMatch(/data-outcome="success"/)

      // the sandbox's Pay and Notify came from the allow-listed loopback with a fresh SIGN_TIME
      const orderId = await waitFor("the order placed by Notify 2", () => orderOfCart(getContainer(), cart.id))
      const { data } = await api.get(
        `/admin/orders/${orderId}?fields=id,total,payment_status,*payment_collections.payments,*payment_collections.payments.captures`,
        admin
      )
      expect(data.order.payment_status).toBe("captured")
      const [payment] = data.order.payment_collections[0].payments
      expect(payment.provider_id).toBe(PAYSYS_FORM_PROVIDER_ID)
      expect(total).toBe(375_000)
      expect(Number(payment.amount)).toBe(total)
      expect(payment.captures.map((c: { amount: number }) => Number(c.amount))).toEqual([total])
      const paid = (await sandbox.get(`/form/payments?merchant_trans_id=${encodeURIComponent(`${session.id}-1`)}`)).data
        .payments[0]
      expect(paid).toMatchObject({ status: "paid", amount: String(total) })
    })

    it("amountLimits: a cart over the limit is refused before anything is written or sent", async () => {
      const { cart, collectionId, created, total } = await formSessionFor(3)
      expect(total).toBeGreaterThan(AMOUNT_LIMIT_UZS)
      expect(created.status).toBe(400)
      expect(created.data.message).toMatch(`the PaySys form takes at most ${AMOUNT_LIMIT_UZS} UZS`)
      expect(await ledgerAttempts(collectionId)).toEqual([])
      expect((await storefront.cart(cart.id)).payment_collection?.payment_sessions ?? []).toEqual([])
      expect((await sandbox.get("/form/payments")).data.payments).toEqual([])
    })

    it("callbackIpAllowList: a signed Pay from elsewhere is refused with -1 and changes nothing; from the loopback it is taken", async () => {
      const { created, collectionId, total } = await formSessionFor(1)
      const order = `${created.data.payment_collection.payment_sessions[0].id}-1`
      const pay = signedRequest("pay", FORM_SECRET, {
        AGR_TRANS_ID: 880001,
        VENDOR_ID: FORM_VENDOR_ID,
        PAYMENT_ID: 9,
        PAYMENT_NAME: "uzcard",
        MERCHANT_TRANS_ID: order,
        MERCHANT_TRANS_AMOUNT: total,
        ENVIRONMENT: "sandbox",
        SIGN_TIME: Date.now(),
      })
      // through a proxy the merchant trusts (trustedProxies: loopback), X-Forwarded-For names the caller
      const outside = await call("pay", pay, { "x-forwarded-for": "203.0.113.7" })
      expect(outside.status).toBe(200)
      expect(outside.data).toEqual({ ERROR: -1, ERROR_NOTE: "SIGN CHECK FAILED!" })
      expect(await ledgerAttempts(collectionId)).toEqual([
        expect.objectContaining({ partner_trans_id: order, agr_trans_id: null }),
      ])

      const inside = await call("pay", pay)
      expect(inside.data).toEqual({ ERROR: 0, ERROR_NOTE: "Success", VENDOR_TRANS_ID: expect.any(Number) })
      expect(await ledgerAttempts(collectionId)).toEqual([
        expect.objectContaining({ partner_trans_id: order, agr_trans_id: "880001" }),
      ])
    })

    it("signTimeMaxSkewMs: a correctly signed call with a SIGN_TIME an hour old is refused with -1; a fresh one is answered", async () => {
      const { created, total } = await formSessionFor(1)
      const order = `${created.data.payment_collection.payment_sessions[0].id}-1`
      const info = (signTime: number) =>
        call("info", signedRequest("info", FORM_SECRET, { MERCHANT_TRANS_ID: order, SIGN_TIME: signTime }))
      expect((await info(Date.now() - 3_600_000)).data).toEqual({ ERROR: -1, ERROR_NOTE: "SIGN CHECK FAILED!" })
      expect((await info(Date.now() + 2 * MAX_SKEW_MS)).data).toEqual({ ERROR: -1, ERROR_NOTE: "SIGN CHECK FAILED!" })
      expect((await info(Date.now())).data).toEqual({
        ERROR: 0,
        ERROR_NOTE: "Success",
        PARAMETERS: { order, amount: total },
      })
    })

    it("the card's routes say the card gateway is not configured, naming its options", async () => {
      const hook = await api.post("/hooks/paysys", {}, { validateStatus: () => true })
      expect(hook.status).toBe(404)
      expect(hook.data.message).toMatch(
        /card gateway is not configured.*`serviceId`, `secretKey`, `vendorId`, `vendorMethod`, `vendorSecretKey`/
      )
      const cardRoute = await storefront.postCard("payses_unknown", card(CARDS.visa))
      expect(cardRoute.status).toBe(400)
      expect(cardRoute.data.message).toMatch(/card gateway is not configured/)
    })
  },
})
