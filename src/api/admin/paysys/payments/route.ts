import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { PAYSYS_MODULE, PaysysModuleService } from "../../../../modules/paysys"
import { AdminGetPaysysPaymentsType } from "../validators"
import { majorUnits, toPaymentRow } from "./payment-rows"

/**
 * GET /admin/paysys/payments?from=&to=&state=&method=&currency=&type=&limit=&offset=
 * The ledger's payments and refunds, newest first, each with its order, and the filter's totals
 * per day, type and currency: `{ payments, count, limit, offset, totals, time_zone }`, where
 * `time_zone` is the option reportTimeZone, in which the days (`from`, `to`, the totals') are.
 */
export const GET = async (
  req: AuthenticatedMedusaRequest<unknown, AdminGetPaysysPaymentsType>,
  res: MedusaResponse
) => {
  const { limit, offset, ...filters } = req.validatedQuery as AdminGetPaysysPaymentsType
  const { report } = req.scope.resolve<PaysysModuleService>(PAYSYS_MODULE)
  const [{ rows, count }, totals] = await Promise.all([report.list(filters, { limit, offset }), report.totals(filters)])
  res.json({
    payments: rows.map(toPaymentRow),
    count,
    limit,
    offset,
    totals: totals.map((total) => ({ ...total, amount_major: majorUnits(total.amount, total.currency) })),
    time_zone: report.timeZone,
  })
}
