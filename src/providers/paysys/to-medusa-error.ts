import { MedusaError } from "@medusajs/framework/utils"
import { PaysysError, PaysysRateLimitedError, PaysysTransportError, PaysysValidationError } from "../../paysys"

/**
 * Turns a PaySys client error into the MedusaError the store and admin APIs answer with:
 * bad input is a 400 naming the field, a refusal by PaySys keeps its code and mx_id for the
 * merchant, and a transport failure says plainly that the outcome is unknown.
 */
export function toMedusaError(error: unknown, action: string): Error {
  if (error instanceof MedusaError) {
    return error
  }
  if (error instanceof PaysysValidationError) {
    return new MedusaError(MedusaError.Types.INVALID_DATA, `${error.field}: ${error.message}`)
  }
  if (error instanceof PaysysError) {
    return new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `PaySys refused to ${action}: ${error.paysysMessage} (code ${error.code}${error.mxId ? `, mx_id ${error.mxId}` : ""})`
    )
  }
  if (error instanceof PaysysRateLimitedError) {
    return new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `PaySys is busy, try again in ${error.retryAfterSeconds} seconds (nothing was sent to ${action})`
    )
  }
  if (error instanceof PaysysTransportError) {
    // not a 500: nothing broke here, and the message tells what to do (try again shortly)
    return new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      error.mayHaveReachedPaysys
        ? `PaySys did not answer while trying to ${action} (${error.failure}); the outcome is not known yet and will be checked with PaySys`
        : `PaySys could not be reached to ${action} (${error.failure}); nothing was sent`
    )
  }
  return error instanceof Error ? error : new Error(String(error))
}
