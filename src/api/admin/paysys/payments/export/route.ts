import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { PAYSYS_MODULE, PaysysModuleService } from "../../../../../modules/paysys"
import { AdminGetPaysysPaymentsType } from "../../validators"
import { csvField } from "../csv-field"
import { PaysysPaymentRow, toPaymentRow } from "../payment-rows"

/** The columns of PaySys's cabinet report first, then what ties a line to Medusa. */
const COLUMNS: [string, (row: PaysysPaymentRow) => string | null][] = [
  ["transaction_id", (row) => row.transaction_id],
  ["partner_trans_id / MERCHANT_TRANS_ID", (row) => row.partner_trans_id],
  ["amount", (row) => row.amount_major],
  ["currency", (row) => row.currency.toUpperCase()],
  ["status", (row) => row.status],
  ["date", (row) => row.at],
  ["rrn", (row) => row.rrn],
  ["type", (row) => (row.type === "refund" && row.refund_kind === "cancel" ? "reversal" : row.type)],
  ["method", (row) => row.method],
  ["order_id", (row) => row.order_id],
]

/**
 * GET /admin/paysys/payments/export?from=&to=&state=&method=&currency=&type=
 * The filter's payments and refunds as CSV, oldest first, written as they are read.
 */
export const GET = async (
  req: AuthenticatedMedusaRequest<unknown, AdminGetPaysysPaymentsType>,
  res: MedusaResponse
) => {
  const { limit: _limit, offset: _offset, ...filters } = req.validatedQuery as AdminGetPaysysPaymentsType
  const { report } = req.scope.resolve<PaysysModuleService>(PAYSYS_MODULE)
  res.setHeader("content-type", "text/csv; charset=utf-8")
  res.setHeader(
    "content-disposition",
    `attachment; filename="paysys-${filters.from ?? "all"}-${filters.to ?? "now"}.csv"`
  )
  res.write(`${COLUMNS.map(([name]) => csvField(name)).join(",")}\r\n`)
  for await (const rows of report.each(filters)) {
    res.write(
      rows.map((row) => COLUMNS.map(([, value]) => csvField(value(toPaymentRow(row)))).join(",")).join("\r\n") + "\r\n"
    )
  }
  res.end()
}
