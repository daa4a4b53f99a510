import axios from "axios"
import { toTransportError } from "../paysys/transport-error"
import { PaysysTransportError } from "../paysys/errors"
import { DEFAULT_STATUS_URL, STATUS_API_PAID_ERROR } from "./assumptions"
import { signedRequest } from "./callbacks"
import { statusAnswer } from "./schemas"

/*
 * The form's status API: the merchant asks PaySys whether a payment is paid.
 * It needs AGR_TRANS_ID and PAYMENT_ID, which arrive only with Pay. Read-only: safe to repeat.
 */

export type FormStatusQuery = {
  vendorId: string | number
  secretKey: string
  agrTransId: string | number
  paymentId: string | number
  /** ⚙ statusUrl */
  statusUrl?: string
  timeoutMs?: number
  signTime?: number
}

/** `paid` only for ERROR 0 (STATUS_API_PAID_ERROR): anything else is "not paid yet", with PaySys's code and note. */
export type FormStatus = { paid: boolean; error: number; note: string }

const METHOD = "payment_status"

export async function queryFormPaymentStatus(query: FormStatusQuery): Promise<FormStatus> {
  const body = signedRequest("status", query.secretKey, {
    VENDOR_ID: Number(query.vendorId),
    AGR_TRANS_ID: Number(query.agrTransId),
    PAYMENT_ID: Number(query.paymentId),
    SIGN_TIME: query.signTime ?? Date.now(),
  })
  const response = await axios
    .post(query.statusUrl ?? DEFAULT_STATUS_URL, body, {
      timeout: query.timeoutMs ?? 15_000,
      headers: { "Content-Type": "application/json" },
      validateStatus: () => true,
      responseType: "text",
      transformResponse: [(data) => data],
    })
    .catch((error: unknown) => {
      throw toTransportError(METHOD, error)
    })
  let parsed: unknown
  try {
    parsed = JSON.parse(response.data)
  } catch {
    throw new PaysysTransportError(
      METHOD,
      response.status === 200 ? "invalid_response" : "http_status",
      `HTTP ${response.status}, body is not JSON`,
      null,
      response.status
    )
  }
  const answer = statusAnswer.safeParse(parsed)
  if (!answer.success) {
    throw new PaysysTransportError(
      METHOD,
      "invalid_response",
      `unexpected ${answer.error.issues[0].path.join(".") || "answer"}`,
      null,
      response.status
    )
  }
  return { paid: answer.data.ERROR === STATUS_API_PAID_ERROR, error: answer.data.ERROR, note: answer.data.ERROR_NOTE }
}
