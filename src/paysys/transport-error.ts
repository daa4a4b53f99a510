import { AxiosError } from "axios"
import { PaysysTransportError, PaysysTransportFailure } from "./errors"

const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"])

/** An axios failure as a PaysysTransportError (also used by the form's status client). */
export function toTransportError(method: string, error: unknown): PaysysTransportError {
  const code = error instanceof AxiosError ? (error.code ?? "") : ""
  let failure: PaysysTransportFailure = "connection_reset"
  if (NOT_SENT_CODES.has(code)) {
    failure = "connection_refused"
  } else if (code === "ECONNABORTED" || code === "ETIMEDOUT") {
    failure = "timeout"
  }
  return new PaysysTransportError(method, failure, code || "network error")
}
