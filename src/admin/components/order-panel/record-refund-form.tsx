import { Button, Input } from "@medusajs/ui"
import { useTranslation } from "react-i18next"

/** The amount of a refund made in the PaySys cabinet, as the merchant reads it there. */
export function RecordRefundForm({
  currency,
  amount,
  onAmountChange,
  onSubmit,
  pending,
}: {
  currency: string
  amount: string
  onAmountChange: (amount: string) => void
  onSubmit: () => void
  pending: boolean
}) {
  const { t } = useTranslation()
  const label = t("paysys.attention.amount", { currency: currency.toUpperCase() })
  return (
    <form
      className="flex items-center gap-x-2"
      onSubmit={(event) => {
        event.preventDefault()
        onSubmit()
      }}
    >
      <Input
        size="small"
        inputMode="decimal"
        placeholder={label}
        aria-label={label}
        value={amount}
        onChange={(event) => onAmountChange(event.target.value)}
        data-testid="paysys-record-amount"
      />
      <Button size="small" variant="secondary" type="submit" isLoading={pending} disabled={!amount.trim()}>
        {t("paysys.attention.record")}
      </Button>
    </form>
  )
}
