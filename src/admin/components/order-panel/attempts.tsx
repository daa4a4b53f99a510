import { Text } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import { formatMoney, type PaysysOrderPanel } from "../../lib/paysys-panel"

/** Every PaySys attempt of the order's cart: which one paid the order, which were given back, and why. */
export function Attempts({ paysys, locale }: { paysys: PaysysOrderPanel; locale: string | undefined }) {
  const { t } = useTranslation()
  if (paysys.attempts.length < 2) {
    return null
  }
  return (
    <div className="flex flex-col gap-y-2 px-6 py-4" data-testid="paysys-attempts">
      <Text size="small" weight="plus" leading="compact">
        {t("paysys.attempts.title")}
      </Text>
      {paysys.attempts.map((attempt) => (
        <div key={attempt.partner_trans_id} className="flex flex-col" data-testid="paysys-attempt-row">
          <Text size="small" leading="compact" className="font-mono">
            {attempt.partner_trans_id}
          </Text>
          <Text size="xsmall" leading="compact" className="text-ui-fg-subtle">
            {[
              t(`paysys.attempts.state.${attempt.state}`, { defaultValue: attempt.state }),
              attempt.outcome ? t(`paysys.outcome.${attempt.outcome}`, { defaultValue: attempt.outcome }) : null,
              formatMoney(attempt.amount_major, attempt.currency, locale),
            ]
              .filter(Boolean)
              .join(" · ")}
          </Text>
        </div>
      ))}
    </div>
  )
}
