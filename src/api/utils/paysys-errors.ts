import { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { CARD_DECLINED, PaysysError, PaysysRateLimitedError, PaysysTransportError } from "../../paysys"
import { PAYSYS_MODULE, PaysysModuleService } from "../../modules/paysys"
import { toMedusaError } from "../../providers/paysys/to-medusa-error"

/**
 * Runs a route's PaySys work. PaySys being unreachable is a 502 with a message the
 * storefront can show, not Medusa's opaque 500, and a warning in the server's log saying why
 * (method, failure kind, mx_id: the error carries no request parameters, so no card); a
 * conflict keeps its message (Medusa's handler replaces it with a generic one); PaySys over its
 * request limit (HTTP 429: nothing was done) is a 503 with PaySys's Retry-After; other errors
 * become MedusaErrors (4xx). On a store route taking a card (`cardDeclines`), PaySys refusing the
 * card is `card_declined` with a plain message: its reason would tell a card tester why each card
 * failed (the ledger keeps it; the detailedDeclines option shows it, for development).
 */
export async function withPaysysErrors(
  req: MedusaRequest,
  res: MedusaResponse,
  action: string,
  work: () => Promise<void>,
  { cardDeclines = false }: { cardDeclines?: boolean } = {}
) {
  try {
    await work()
  } catch (error) {
    if (error instanceof PaysysRateLimitedError) {
      const seconds = error.retryAfterSeconds
      req.scope
        .resolve(ContainerRegistrationKeys.LOGGER)
        .warn(`PaySys busy, answered 503 to ${req.method} ${req.path} (could not ${action}): ${error.message}`)
      res.setHeader("Retry-After", String(seconds))
      res.status(503).json({ type: "paysys_busy", message: `PaySys is busy, try again in ${seconds} seconds` })
      return
    }
    if (
      cardDeclines &&
      error instanceof PaysysError &&
      !req.scope.resolve<PaysysModuleService>(PAYSYS_MODULE).options.detailedDeclines
    ) {
      res.status(400).json({ type: CARD_DECLINED.code, message: CARD_DECLINED.message })
      return
    }
    if (error instanceof PaysysTransportError) {
      req.scope
        .resolve(ContainerRegistrationKeys.LOGGER)
        .warn(`PaySys unavailable, answered 502 to ${req.method} ${req.path} (could not ${action}): ${error.message}`)
      res.status(502).json({ type: "paysys_unavailable", message: toMedusaError(error, action).message })
      return
    }
    if (error instanceof MedusaError && error.type === MedusaError.Types.CONFLICT) {
      res.status(409).json({ type: "conflict", message: error.message })
      return
    }
    throw toMedusaError(error, action)
  }
}
