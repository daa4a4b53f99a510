import { Input } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import type { PaymentFilters } from "../../lib/payment-filters"
import { PAYMENT_FILTER_STATES } from "../../lib/paysys-page"
import { FilterSelect } from "./filter-select"

/** The Payments list's filters: from and to dates, then state, method and currency. */
export function PaymentFiltersBar({
  filters,
  onChange,
}: {
  filters: PaymentFilters
  onChange: (key: keyof PaymentFilters, value: string) => void
}) {
  const { t } = useTranslation()
  return (
    <div className="flex flex-wrap items-center gap-2 px-6 py-4">
      <Input
        size="small"
        type="date"
        className="w-40"
        value={filters.from}
        onChange={(event) => onChange("from", event.target.value)}
        aria-label={t("paysys.page.payments.from")}
      />
      <Input
        size="small"
        type="date"
        className="w-40"
        value={filters.to}
        onChange={(event) => onChange("to", event.target.value)}
        aria-label={t("paysys.page.payments.to")}
      />
      <FilterSelect
        name="state"
        value={filters.state}
        options={PAYMENT_FILTER_STATES}
        label={(state) => t(`paysys.page.payments.states.${state}`)}
        onChange={(value) => onChange("state", value)}
      />
      <FilterSelect
        name="method"
        value={filters.method}
        options={["card", "form"]}
        label={(method) => t(`paysys.page.payments.methods.${method}`)}
        onChange={(value) => onChange("method", value)}
      />
      <FilterSelect
        name="currency"
        value={filters.currency}
        options={["uzs", "usd"]}
        label={(currency) => currency.toUpperCase()}
        onChange={(value) => onChange("currency", value)}
      />
    </div>
  )
}
