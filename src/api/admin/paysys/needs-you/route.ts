import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { PAYSYS_MODULE, PaysysModuleService } from "../../../../modules/paysys"
import { NEEDS_YOU_ACTIONS, NeedsYouRow } from "../../../../modules/paysys/needs-you"
import { fromMinorUnits, isPaysysCurrency } from "../../../../paysys"
import { AdminGetPaysysNeedsYouType } from "../validators"
import type { PaysysNeedsYouItem } from "./needs-you-types"

/**
 * GET /admin/paysys/needs-you?limit=&offset=
 * Everything waiting for the merchant, newest first: `{ items, count, limit, offset }`.
 */
export const GET = async (
  req: AuthenticatedMedusaRequest<unknown, AdminGetPaysysNeedsYouType>,
  res: MedusaResponse
) => {
  const { limit, offset } = req.validatedQuery as AdminGetPaysysNeedsYouType
  const { items, count } = await req.scope.resolve<PaysysModuleService>(PAYSYS_MODULE).needsYou.list({ limit, offset })
  res.json({ items: items.map(toResponse), count, limit, offset })
}

function toResponse(item: NeedsYouRow): PaysysNeedsYouItem {
  const currency = item.currency?.toLowerCase() ?? null
  return {
    ...item,
    currency,
    action: NEEDS_YOU_ACTIONS[item.kind],
    amount_major:
      item.amount && currency && isPaysysCurrency(currency) ? fromMinorUnits(item.amount, currency) : item.amount,
    paid_at: item.paid_at?.toISOString() ?? null,
    since: item.since.toISOString(),
  }
}
