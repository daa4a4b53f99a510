import type { AxiosResponse } from "axios"
import { z } from "zod"
import type { PaysysLogger } from "./client-options"
import { PaysysError, PaysysRateLimitedError, PaysysTransportError } from "./errors"
import { parseRetryAfter } from "./retry-after"
import * as schemas from "./schemas"

/** Every answer keeps PaySys's request tracker: support asks for it. */
export type WithMxId<T> = T & { mx_id: string | null }

/** The call's log: the client's logger, and when the request was sent (for the time taken). */
export type CallLog = { logger?: PaysysLogger; startedAt: number }

/**
 * PaySys's HTTP answer to one call, read: the call's result with the mx_id, or the error the
 * answer means (over the rate limit, refused by PaySys, or not a usable answer).
 */
export function readGatewayAnswer<R extends z.ZodTypeAny>(
  method: string,
  resultSchema: R,
  response: Pick<AxiosResponse, "status" | "headers" | "data">,
  { logger, startedAt }: CallLog
): WithMxId<z.output<R>> {
  if (response.status === 429) {
    // over PaySys's request limit: not carried out, whatever the body is
    const retryAfterMs = parseRetryAfter(response.headers["retry-after"])
    const mxId = mxIdOf(response.data)
    logger?.warn(
      `paysys ${method} rate limited (HTTP 429) in ${Date.now() - startedAt}ms, retry after ${retryAfterMs} ms (mx_id ${mxId})`
    )
    throw new PaysysRateLimitedError(method, retryAfterMs, mxId)
  }
  let body: unknown
  try {
    body = JSON.parse(response.data)
  } catch {
    const failure = response.status >= 200 && response.status < 300 ? "invalid_response" : "http_status"
    throw new PaysysTransportError(method, failure, `HTTP ${response.status}, body is not JSON`, null, response.status)
  }
  const envelope = schemas.envelope.safeParse(body)
  if (!envelope.success) {
    throw new PaysysTransportError(method, "invalid_response", "answer is not a PaySys envelope", null, response.status)
  }
  const mxId = envelope.data.mx_id ?? null
  if (envelope.data.error) {
    const { code, message } = envelope.data.error
    logger?.warn(`paysys ${method} refused in ${Date.now() - startedAt}ms: ${code} ${message} (mx_id ${mxId})`)
    throw new PaysysError(method, code, message, mxId)
  }
  if (response.status < 200 || response.status >= 300) {
    throw new PaysysTransportError(method, "http_status", `HTTP ${response.status}`, mxId, response.status)
  }
  const result = resultSchema.safeParse(envelope.data.result)
  if (!result.success) {
    const field = result.error.issues[0]?.path.join(".") || "result"
    throw new PaysysTransportError(method, "invalid_response", `unexpected result.${field}`, mxId, response.status)
  }
  logger?.debug(`paysys ${method} ok in ${Date.now() - startedAt}ms (mx_id ${mxId})`)
  return { ...(result.data as object), mx_id: mxId } as WithMxId<z.output<R>>
}

/** The request tracker of a 429's body, when it is a PaySys envelope. */
function mxIdOf(data: unknown): string | null {
  try {
    const parsed = schemas.envelope.safeParse(JSON.parse(String(data)))
    return parsed.success ? (parsed.data.mx_id ?? null) : null
  } catch {
    return null
  }
}
