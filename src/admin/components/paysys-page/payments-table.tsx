import { Table } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import { Link } from "react-router-dom"
import { formatDate, formatMoney } from "../../lib/paysys-panel"
import type { PaysysPaymentRow } from "../../lib/paysys-page"

/** The ledger's payments and refunds (a refund's amount signed), each with its ids, status, RRN and order. */
export function PaymentsTable({ payments, locale }: { payments: PaysysPaymentRow[]; locale: string | undefined }) {
  const { t } = useTranslation()
  return (
    <Table>
      <Table.Header>
        <Table.Row>
          <Table.HeaderCell>{t("paysys.page.payments.date")}</Table.HeaderCell>
          <Table.HeaderCell>{t("paysys.fields.transactionId")}</Table.HeaderCell>
          <Table.HeaderCell>{t("paysys.fields.partnerTransId")}</Table.HeaderCell>
          <Table.HeaderCell>{t("paysys.fields.amount")}</Table.HeaderCell>
          <Table.HeaderCell>{t("paysys.fields.status")}</Table.HeaderCell>
          <Table.HeaderCell>{t("paysys.fields.rrn")}</Table.HeaderCell>
          <Table.HeaderCell>{t("paysys.page.payments.order")}</Table.HeaderCell>
        </Table.Row>
      </Table.Header>
      <Table.Body>
        {payments.map((row) => (
          <Table.Row key={row.id} data-testid={`paysys-payment-${row.type}`}>
            <Table.Cell className="whitespace-nowrap">{formatDate(row.at, locale)}</Table.Cell>
            <Table.Cell className="font-mono">{row.transaction_id ?? t("paysys.none")}</Table.Cell>
            <Table.Cell className="font-mono">{row.partner_trans_id}</Table.Cell>
            <Table.Cell className="whitespace-nowrap">
              {row.type === "refund" ? "− " : ""}
              {formatMoney(row.amount_major, row.currency, locale)}
            </Table.Cell>
            <Table.Cell>{`${t(`paysys.page.payments.types.${row.type}`)} · ${row.status}`}</Table.Cell>
            <Table.Cell className="font-mono">{row.rrn ?? t("paysys.none")}</Table.Cell>
            <Table.Cell>
              {row.order_id ? (
                <Link to={`/orders/${row.order_id}`} className="text-ui-fg-interactive">
                  {t("paysys.page.order")}
                </Link>
              ) : (
                t("paysys.none")
              )}
            </Table.Cell>
          </Table.Row>
        ))}
      </Table.Body>
    </Table>
  )
}
