import { integrationTestRunner } from "../helpers/test-runner"
import { createApiKeysWorkflow } from "@medusajs/medusa/core-flows"
import { loginAdmin } from "../helpers/admin"

jest.setTimeout(120_000)

integrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    describe("the plugin in a Medusa app", () => {
      it("offers pp_paysys_paysys to a region that enables it", async () => {
        const admin = await loginAdmin(api, getContainer())
        const { data: providers } = await api.get("/admin/payments/payment-providers", admin)
        expect(providers.payment_providers.map((p: { id: string }) => p.id)).toContain("pp_paysys_paysys")

        const { data: created } = await api.post(
          "/admin/regions",
          { name: "Uzbekistan", currency_code: "uzs", countries: ["uz"], payment_providers: ["pp_paysys_paysys"] },
          admin
        )
        const {
          result: [key],
        } = await createApiKeysWorkflow(getContainer()).run({
          input: { api_keys: [{ title: "store", type: "publishable", created_by: "test" }] },
        })
        const { data } = await api.get(`/store/payment-providers?region_id=${created.region.id}`, {
          headers: { "x-publishable-api-key": key.token },
        })
        expect(data.payment_providers).toEqual([expect.objectContaining({ id: "pp_paysys_paysys" })])
      })
    })
  },
})
