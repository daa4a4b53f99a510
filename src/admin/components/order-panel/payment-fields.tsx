import { StatusBadge, clx } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import { formatDate, formatMoney, STATUS_COLOR, type PaysysOrderPanel } from "../../lib/paysys-panel"
import { Row } from "./row"

/** The payment's own fields: its ids, status, amounts, card and dates; dimmed while a newer answer loads. */
export function PaymentFields({
  paysys,
  locale,
  stale,
}: {
  paysys: PaysysOrderPanel
  locale: string | undefined
  stale: boolean
}) {
  const { t } = useTranslation()
  const none = t("paysys.none")
  const date = (value: string | null) => formatDate(value, locale) ?? none
  const refunded =
    paysys.refunded_amount !== "0" ? formatMoney(paysys.refunded_amount_major, paysys.currency, locale) : null
  return (
    <div className={clx("divide-y", { "opacity-60": stale })}>
      <Row testId="paysys-transaction-id" title={t("paysys.fields.transactionId")} value={paysys.transaction_id} copy />
      <Row
        testId="paysys-partner-trans-id"
        title={t("paysys.fields.partnerTransId")}
        value={paysys.partner_trans_id}
        copy
      />
      {paysys.attempt > 1 && (
        <Row testId="paysys-attempt" title={t("paysys.fields.attempt")} value={String(paysys.attempt)} />
      )}
      <Row
        testId="paysys-status-code"
        title={t("paysys.fields.status")}
        value={
          <>
            <StatusBadge color={STATUS_COLOR[paysys.status]} className="whitespace-nowrap" data-testid="paysys-status">
              {t(`paysys.status.${paysys.status}`)}
            </StatusBadge>
            {paysys.paysys_status !== null && <span className="text-ui-fg-muted">({paysys.paysys_status})</span>}
          </>
        }
      />
      <Row
        testId="paysys-amount"
        title={t("paysys.fields.amount")}
        value={formatMoney(paysys.amount_major, paysys.currency, locale)}
      />
      {refunded && <Row testId="paysys-refunded" title={t("paysys.fields.refunded")} value={refunded} />}
      <Row testId="paysys-card" title={t("paysys.fields.card")} value={paysys.card_masked} mono />
      <Row testId="paysys-rrn" title={t("paysys.fields.rrn")} value={paysys.rrn} mono copy />
      <Row testId="paysys-approval-code" title={t("paysys.fields.approvalCode")} value={paysys.approval_code} mono />
      <Row testId="paysys-three-ds" title={t("paysys.fields.threeDs")} value={paysys.three_ds} />
      {paysys.error && (
        <Row
          testId="paysys-error-field"
          title={t("paysys.fields.error")}
          value={`${paysys.error.message} (${paysys.error.code})`}
        />
      )}
      <Row testId="paysys-paid-at" title={t("paysys.fields.paidAt")} value={date(paysys.paid_at)} />
      {paysys.canceled_at && (
        <Row testId="paysys-canceled-at" title={t("paysys.fields.canceledAt")} value={date(paysys.canceled_at)} />
      )}
      <Row testId="paysys-checked-at" title={t("paysys.fields.checkedAt")} value={date(paysys.checked_at)} />
    </div>
  )
}
