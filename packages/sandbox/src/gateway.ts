import { randomBytes } from "node:crypto"
import { IncomingMessage, ServerResponse } from "node:http"
import { AuthConfig, verifyAuthHeader } from "./auth-check"
import { CallLog, CallRecord } from "./call-log"
import { PaysysErrorBody, sandboxError, SandboxRpcError } from "./errors"
import { Fault, FaultRegistry } from "./faults"
import { headerValue, readBodyOr413, sendJson, sendText, sleep } from "./http-utils"
import { isGatewayMethod, runMethod } from "./methods"
import { SandboxLogger } from "./options"
import { RequestRateLimit } from "./rate-limit"
import { SandboxState } from "./state"

/*
 * POST /gateway: the PaySys JSON-RPC-like endpoint. Every answer is HTTP 200 with
 * {"id": <echoed>, "error": null | {code, message}, "result": ..., "mx_id": <32 hex, new per call>}
 * unless a fault says otherwise, or the call is over the request limit (`requestsPerMinute`):
 * then HTTP 429 with Retry-After, and nothing is done.
 */

export type GatewayDeps = {
  state: SandboxState
  faults: FaultRegistry
  calls: CallLog
  auth: AuthConfig
  maxBodyBytes: number
  /** `requestsPerMinute`; none: no limit */
  rateLimit?: RequestRateLimit | null
  logger?: SandboxLogger
}

type Envelope = {
  id: string | number | null
  error: PaysysErrorBody | null
  result: unknown
  mx_id: string
}

type Answer = { envelope: Envelope; outcome: string }

export async function handleGateway(
  request: IncomingMessage,
  response: ServerResponse,
  deps: GatewayDeps
): Promise<void> {
  if (request.method !== "POST") {
    response.setHeader("Allow", "POST")
    return sendText(response, 405, "PaySys gateway: POST a JSON body {method, params, id}")
  }
  const raw = await readBodyOr413(request, response, deps.maxBodyBytes)
  if (raw === null) {
    return
  }
  const startedAt = Date.now()
  const mxId = randomBytes(16).toString("hex")

  let body: unknown
  try {
    body = JSON.parse(raw)
  } catch {
    const call = deps.calls.start("(not JSON)")
    const answer = errorAnswer(null, mxId, sandboxError("PARSE_ERROR"))
    return finish(deps, call, response, answer, startedAt)
  }

  const envelopeIn = isObject(body) ? body : {}
  const method = typeof envelopeIn.method === "string" ? envelopeIn.method : "(no method)"
  const id = typeof envelopeIn.id === "string" || typeof envelopeIn.id === "number" ? envelopeIn.id : null
  const params = isObject(envelopeIn.params) ? envelopeIn.params : null
  const call = deps.calls.start(method)
  if (params) {
    deps.calls.about(call, { partnerTransId: params.partner_trans_id, cardId: params.card_id })
  }
  const waitSeconds = deps.rateLimit?.take() ?? null
  if (waitSeconds !== null) {
    call.outcome = `rate limited (HTTP 429, retry after ${waitSeconds} s)`
    call.duration_ms = Date.now() - startedAt
    logCall(deps, call)
    return sendRateLimited(response, String(waitSeconds))
  }

  const fault = deps.faults.take(method, params?.partner_trans_id)
  if (fault?.kind === "latency") {
    await sleep(fault.latencyMs)
  } else if (fault && !fault.applyFirst) {
    return applyFault(deps, call, request, response, fault, id, mxId, null, startedAt)
  }

  const answer = answerCall(deps, request, body, method, id, mxId, call)
  if (fault && fault.kind !== "latency") {
    return applyFault(deps, call, request, response, fault, id, mxId, answer, startedAt)
  }
  return finish(deps, call, response, answer, startedAt)
}

/** Authenticates and runs the call; never throws (an unexpected error becomes INTERNAL_ERROR). */
function answerCall(
  deps: GatewayDeps,
  request: IncomingMessage,
  body: unknown,
  method: string,
  id: Envelope["id"],
  mxId: string,
  call: CallRecord
): Answer {
  try {
    if (!isObject(body) || typeof body.method !== "string") {
      throw sandboxError("INVALID_REQUEST", 'the body must be an object {"method", "params", "id"}')
    }
    if (!isObject(body.params)) {
      throw sandboxError("INVALID_REQUEST", "params must be an object of named params")
    }
    verifyAuthHeader(headerValue(request.headers.auth), deps.auth)
    if (!isGatewayMethod(method)) {
      throw sandboxError("METHOD_NOT_FOUND", method.slice(0, 64))
    }
    const outcome = runMethod(method, body.params, { state: deps.state, headers: request.headers })
    deps.calls.about(call, { partnerTransId: outcome.partnerTransId, cardId: outcome.cardId })
    return { envelope: { id, error: null, result: outcome.result, mx_id: mxId }, outcome: outcome.summary }
  } catch (error) {
    if (error instanceof SandboxRpcError) {
      return errorAnswer(id, mxId, error)
    }
    deps.logger?.info(`internal error in ${method}: ${(error as Error).name}`)
    return errorAnswer(id, mxId, sandboxError("INTERNAL_ERROR"))
  }
}

function errorAnswer(id: Envelope["id"], mxId: string, error: SandboxRpcError): Answer {
  return {
    envelope: { id, error: error.toBody(), result: null, mx_id: mxId },
    outcome: `error ${error.code}: ${error.message}`,
  }
}

function finish(
  deps: GatewayDeps,
  call: CallRecord,
  response: ServerResponse,
  answer: Answer,
  startedAt: number
): void {
  call.outcome = answer.outcome
  call.error_code = answer.envelope.error?.code ?? null
  call.mx_id = answer.envelope.mx_id
  call.duration_ms = Date.now() - startedAt
  logCall(deps, call)
  sendJson(response, 200, answer.envelope, false)
}

/** Replaces the answer by the fault; `performed` is the real answer when applyFirst ran the operation. */
function applyFault(
  deps: GatewayDeps,
  call: CallRecord,
  request: IncomingMessage,
  response: ServerResponse,
  fault: Fault,
  id: Envelope["id"],
  mxId: string,
  performed: Answer | null,
  startedAt: number
): void {
  call.mx_id = mxId
  call.error_code = performed?.envelope.error?.code ?? null
  call.outcome = performed ? `${performed.outcome} + fault ${fault.kind} (applyFirst)` : `fault ${fault.kind}`
  call.duration_ms = Date.now() - startedAt
  logCall(deps, call)
  switch (fault.kind) {
    case "http_5xx":
      return sendText(response, fault.status, fault.body, "text/html; charset=utf-8")
    case "malformed_json":
      return sendText(
        response,
        200,
        `{"id": ${JSON.stringify(id)}, "error": null, "result": {"transaction_id": "`,
        "application/json; charset=utf-8"
      )
    case "paysys_error":
      call.error_code = fault.code
      return sendJson(
        response,
        200,
        { id, error: { code: fault.code, message: fault.message }, result: null, mx_id: mxId },
        false
      )
    case "reset":
      request.socket.destroy()
      return
    case "rate_limited":
      return sendRateLimited(response, retryAfterHeader(fault))
    case "timeout":
      // accept and never answer: the socket stays open until the client gives up or the sandbox closes
      return
  }
}

/** HTTP 429 as a proxy in front of PaySys answers it: a text body, and Retry-After when given. */
function sendRateLimited(response: ServerResponse, retryAfter: string | null): void {
  if (retryAfter !== null) {
    response.setHeader("Retry-After", retryAfter)
  }
  sendText(response, 429, "429 Too Many Requests")
}

function retryAfterHeader(fault: Fault): string | null {
  switch (fault.retryAfterFormat) {
    case "none":
      return null
    case "http-date":
      // an HTTP date has whole seconds: rounded up, so it is never earlier than retryAfterSeconds from now
      return new Date(Math.ceil((Date.now() + fault.retryAfterSeconds * 1000) / 1000) * 1000).toUTCString()
    case "seconds":
      return String(fault.retryAfterSeconds)
  }
}

function logCall(deps: GatewayDeps, call: CallRecord): void {
  deps.logger?.info(`${call.method} partner_trans_id=${call.partner_trans_id ?? "-"} -> ${call.outcome}`)
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
}
