import { MathBN } from "@medusajs/framework/utils"
import { PaysysStatus } from "../../../paysys"
import type { PaysysStatusLabel } from "./paysys-order-panel-types"

/** PaySys's status as the admin names it; a refund short of the amount is a partial one. */
export function statusLabel(status: number | null, amount: string | null, refunded: string | null): PaysysStatusLabel {
  if (status === null || status === undefined || !Number.isFinite(status)) {
    return "unknown"
  }
  if (status < 0) {
    return "failed"
  }
  switch (status) {
    case PaysysStatus.CREATED:
    case PaysysStatus.AWAITING_PAYMENT:
      return "waiting"
    case PaysysStatus.COMPLETED:
      return "paid"
    case PaysysStatus.CANCELED:
      return "reversed"
    case PaysysStatus.REFUNDED:
      return amount && refunded && MathBN.lt(refunded, amount) ? "partially_refunded" : "refunded"
    default:
      return "unknown"
  }
}
