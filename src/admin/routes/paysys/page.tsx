import { defineRouteConfig } from "@medusajs/admin-sdk"
import { CreditCard } from "@medusajs/icons"
import { NeedsYou } from "../../components/paysys-page/needs-you"
import { Payments } from "../../components/paysys-page/payments"
import { Reconciliation } from "../../components/paysys-page/reconciliation"

/**
 * The merchant's PaySys page: what waits for them (with or without an order) and whether
 * reconciliation runs. Amounts come from the server in major units, formatted as the order panel does.
 */
const PaysysPage = () => {
  return (
    <div className="flex flex-col gap-y-3" data-testid="paysys-page">
      <NeedsYou />
      <Reconciliation />
      <Payments />
    </div>
  )
}

export const config = defineRouteConfig({
  label: "PaySys",
  icon: CreditCard,
})

export default PaysysPage
