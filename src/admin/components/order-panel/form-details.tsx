import { Text } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import { formatDate, type PaysysOrderPanel } from "../../lib/paysys-panel"
import { Row } from "./row"

/** A payment through PaySys's hosted form: its AGR_TRANS_ID, card type, environment, PaySys's calls and the receipt sent. */
export function FormDetails({ paysys, locale }: { paysys: PaysysOrderPanel; locale: string | undefined }) {
  const { t } = useTranslation()
  const form = paysys.form!
  const none = t("paysys.none")
  return (
    <div data-testid="paysys-form">
      <Row testId="paysys-form-agr-trans-id" title={t("paysys.form.agrTransId")} value={form.agr_trans_id} mono copy />
      <Row
        testId="paysys-form-vendor-trans-id"
        title={t("paysys.form.vendorTransId")}
        value={String(form.vendor_trans_id)}
        mono
      />
      <Row testId="paysys-form-card-type" title={t("paysys.form.cardType")} value={form.payment_name} />
      <Row
        testId="paysys-form-environment"
        title={t("paysys.form.environment")}
        value={form.environment ? t(`paysys.form.environments.${form.environment}`) : null}
      />
      <div className="flex flex-col gap-y-2 px-6 py-4" data-testid="paysys-form-callbacks">
        <Text size="small" weight="plus" leading="compact">
          {t("paysys.form.callbacks")}
        </Text>
        {form.callbacks.length === 0 && (
          <Text size="small" className="text-ui-fg-subtle">
            {none}
          </Text>
        )}
        {form.callbacks.map((callback, index) => (
          <Text
            key={`${callback.at}-${index}`}
            size="xsmall"
            leading="compact"
            className="text-ui-fg-subtle"
            data-testid="paysys-form-callback"
          >
            {[formatDate(callback.at, locale), callback.event, callback.detail].filter(Boolean).join(" · ")}
          </Text>
        ))}
      </div>
      <div className="flex flex-col gap-y-2 px-6 py-4" data-testid="paysys-form-receipt">
        <Text size="small" weight="plus" leading="compact">
          {t("paysys.form.receipt")}
        </Text>
        <Text size="xsmall" className="text-ui-fg-subtle whitespace-pre-wrap font-mono">
          {form.receipt ? JSON.stringify(form.receipt, null, 2) : t("paysys.form.noReceipt")}
        </Text>
      </div>
    </div>
  )
}
