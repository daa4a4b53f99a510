import { Text } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import { formatMoney } from "../../lib/paysys-panel"
import type { PaysysPaymentsResponse } from "../../lib/paysys-page"

/** The list's totals: per day, payments and refunds, per currency. */
export function PaymentsTotals({
  totals,
  locale,
}: {
  totals: PaysysPaymentsResponse["totals"]
  locale: string | undefined
}) {
  const { t } = useTranslation()
  return (
    <div className="flex flex-col gap-y-1 px-6 py-4" data-testid="paysys-payments-totals">
      {totals.map((total) => (
        <Text key={`${total.day}-${total.type}-${total.currency}`} size="small">
          {t("paysys.page.payments.total", {
            day: total.day,
            type: t(`paysys.page.payments.types.${total.type}`),
            count: total.count,
            amount: formatMoney(total.amount_major, total.currency, locale),
          })}
        </Text>
      ))}
    </div>
  )
}
