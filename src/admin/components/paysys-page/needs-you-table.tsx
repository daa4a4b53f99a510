import { Table, Text } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import { Link } from "react-router-dom"
import { formatDate, formatMoney } from "../../lib/paysys-panel"
import type { PaysysNeedsYouItem } from "../../lib/paysys-page"
import { NeedsYouAction } from "./needs-you-action"

/** The items waiting for the merchant: the money, why it waits, its order, and what settles it. */
export function NeedsYouTable({ items, locale }: { items: PaysysNeedsYouItem[]; locale: string | undefined }) {
  const { t } = useTranslation()
  return (
    <Table>
      <Table.Header>
        <Table.Row>
          <Table.HeaderCell>{t("paysys.fields.amount")}</Table.HeaderCell>
          <Table.HeaderCell>{t("paysys.fields.card")}</Table.HeaderCell>
          <Table.HeaderCell>{t("paysys.fields.paidAt")}</Table.HeaderCell>
          <Table.HeaderCell>{t("paysys.page.needsYou.why")}</Table.HeaderCell>
          <Table.HeaderCell>{t("paysys.page.needsYou.todo")}</Table.HeaderCell>
        </Table.Row>
      </Table.Header>
      <Table.Body>
        {items.map((item) => (
          <Table.Row
            key={item.key}
            data-testid={`paysys-needs-you-${item.kind}`}
            data-partner-trans-id={item.partner_trans_id ?? ""}
          >
            <Table.Cell className="whitespace-nowrap">
              {item.currency ? formatMoney(item.amount_major, item.currency, locale) : t("paysys.none")}
            </Table.Cell>
            <Table.Cell className="font-mono">{item.card_masked ?? t("paysys.none")}</Table.Cell>
            <Table.Cell className="whitespace-nowrap">
              {formatDate(item.paid_at, locale) ?? t("paysys.none")}
            </Table.Cell>
            <Table.Cell>
              <div className="flex flex-col py-2">
                <Text size="small" leading="compact">
                  {t(`paysys.page.needsYou.kinds.${item.kind}`)}
                </Text>
                <Text size="xsmall" className="text-ui-fg-subtle">
                  {[item.partner_trans_id, item.reason].filter(Boolean).join(" · ")}
                </Text>
                {item.order_id ? (
                  <Link to={`/orders/${item.order_id}`} className="text-ui-fg-interactive txt-compact-xsmall">
                    {t("paysys.page.order")}
                  </Link>
                ) : (
                  <Text size="xsmall" className="text-ui-fg-error">
                    {t("paysys.page.noOrder")}
                  </Text>
                )}
              </div>
            </Table.Cell>
            <Table.Cell>
              <NeedsYouAction item={item} />
            </Table.Cell>
          </Table.Row>
        ))}
      </Table.Body>
    </Table>
  )
}
