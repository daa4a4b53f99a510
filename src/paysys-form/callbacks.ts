import { z } from "zod"
import {
  DEFAULT_SIGN_TIME_MAX_SKEW_MS,
  MerchantCallback,
  SIGN_TIME_SECONDS_BELOW,
  STATEMENT_MAX_WINDOW_MS,
} from "./assumptions"
import { FormErrorAnswer, formErrorAnswer } from "./error-codes"
import {
  FISCALIZATION_TYPES,
  cancelRequest,
  fiscalizationRequest,
  infoRequest,
  notifyRequest,
  payRequest,
  statementRequest,
  statusRequest,
} from "./schemas"
import { isFormSignatureValid, SignedMessage, SignedValues, signFormMessage } from "./signatures"

/*
 * Reading a callback PaySys sends to the merchant: body (JSON, else form-encoded: CALLBACK_BODY_ENCODINGS) ->
 * fields, each in its one strict format (-8 naming the field) -> signature in constant time
 * (-1) -> SIGN_TIME's freshness (-1; on by default, DEFAULT_SIGN_TIME_MAX_SKEW_MS) -> what the schema cannot say
 * (Fiscalization TYPE: -11; Statement's window: -8). The caller then makes sure the signature
 * was accepted for no other call, applies its own rules (unknown order -5, amount -2, ...) and
 * answers HTTP 200 JSON either way.
 */

/** The merchant-API callbacks, and the status API's request (which the sandbox receives). */
export const CALLBACK_REQUESTS = {
  info: infoRequest,
  pay: payRequest,
  notify: notifyRequest,
  cancel: cancelRequest,
  statement: statementRequest,
  fiscalization: fiscalizationRequest,
  status: statusRequest,
} as const satisfies Record<MerchantCallback | "status", z.ZodTypeAny>

export type SignedRequestKind = keyof typeof CALLBACK_REQUESTS

export type CallbackRequest<C extends SignedRequestKind> = z.output<(typeof CALLBACK_REQUESTS)[C]>

export type CallbackParseResult<C extends SignedRequestKind> =
  | { ok: true; request: CallbackRequest<C> }
  /** `field` names what was wrong (for the merchant's log), never a value */
  | { ok: false; answer: FormErrorAnswer; field: string | null; reason: string }

export type ParseCallbackOptions = {
  secretKey: string
  /** the request's Content-Type: a form-encoded body is read as such */
  contentType?: string
  /** refuse a SIGN_TIME further than this from `now`; null: no check; default DEFAULT_SIGN_TIME_MAX_SKEW_MS */
  signTimeMaxSkewMs?: number | null
  now?: number
}

/** The body as an object: JSON first, then form-encoded; null when it is neither. */
export function readCallbackBody(raw: string | Buffer, contentType = ""): Record<string, unknown> | null {
  const text = raw.toString()
  const isForm = /application\/x-www-form-urlencoded/i.test(contentType)
  if (!isForm) {
    try {
      const parsed: unknown = JSON.parse(text)
      return isPlainObject(parsed) ? parsed : null
    } catch {
      // fall through to form-encoded
    }
  }
  if (!text.includes("=")) {
    return null
  }
  return Object.fromEntries(new URLSearchParams(text.trim()))
}

/** Parses and authenticates one callback; `body` is the raw text or an already-parsed object. */
export function parseMerchantCallback<C extends SignedRequestKind>(
  callback: C,
  body: string | Buffer | Record<string, unknown>,
  options: ParseCallbackOptions
): CallbackParseResult<C> {
  const object = typeof body === "string" || Buffer.isBuffer(body) ? readCallbackBody(body, options.contentType) : body
  if (!isPlainObject(object)) {
    return refuse("BAD_REQUEST", null, "the body is neither a JSON object nor form-encoded")
  }
  const parsed = (CALLBACK_REQUESTS[callback] as z.ZodTypeAny).safeParse(object)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const field = issue.path.join(".") || null
    return refuse("BAD_REQUEST", field, `${field ?? "body"}: ${issue.message}`)
  }
  const request = parsed.data as CallbackRequest<C> & { SIGN_STRING: string; SIGN_TIME: string }
  if (!isFormSignatureValid(callback, options.secretKey, request as unknown as SignedValues<C>, request.SIGN_STRING)) {
    return refuse("SIGN_CHECK_FAILED", "SIGN_STRING", `SIGN_STRING does not match the ${callback} formula`)
  }
  const maxSkew = options.signTimeMaxSkewMs === undefined ? DEFAULT_SIGN_TIME_MAX_SKEW_MS : options.signTimeMaxSkewMs
  if (maxSkew !== null && Math.abs(signTimeToMs(request.SIGN_TIME) - (options.now ?? Date.now())) > maxSkew) {
    return refuse("SIGN_CHECK_FAILED", "SIGN_TIME", `SIGN_TIME is more than ${maxSkew} ms from now`)
  }
  if (
    callback === "fiscalization" &&
    !(FISCALIZATION_TYPES as readonly string[]).includes((request as { TYPE: string }).TYPE)
  ) {
    return refuse("WRONG_TRANSACTION_TYPE", "TYPE", `TYPE must be ${FISCALIZATION_TYPES.join(" or ")}`)
  }
  if (callback === "statement") {
    const problem = statementWindowProblem(request as unknown as { FROM: string; TO: string })
    if (problem) {
      return refuse("BAD_REQUEST", problem.field, problem.reason)
    }
  }
  return { ok: true, request }
}

/** What is wrong with a Statement's [FROM, TO] (ms): TO before FROM, or longer than STATEMENT_MAX_WINDOW_MS. */
export function statementWindowProblem({
  FROM,
  TO,
}: {
  FROM: string
  TO: string
}): { field: string; reason: string } | null {
  const from = Number(FROM)
  const to = Number(TO)
  if (to < from) {
    return { field: "TO", reason: "TO is before FROM" }
  }
  if (to - from > STATEMENT_MAX_WINDOW_MS) {
    return { field: "TO", reason: `the window FROM..TO is longer than ${STATEMENT_MAX_WINDOW_MS / 86_400_000} days` }
  }
  return null
}

/** SIGN_TIME (10 or 13 digits, as the schema lets through) as milliseconds: seconds (below SIGN_TIME_SECONDS_BELOW) are scaled. */
export function signTimeToMs(signTime: string | number): number {
  const value = Number(signTime)
  return value < SIGN_TIME_SECONDS_BELOW ? value * 1000 : value
}

/**
 * A signed request as PaySys sends it (the sandbox and the autotest build theirs with this, the
 * provider its status-API request): the given fields plus SIGN_STRING.
 */
export function signedRequest<M extends SignedMessage, V extends SignedValues<M>>(
  message: M,
  secretKey: string,
  values: V
): V & { SIGN_STRING: string } {
  return { ...values, SIGN_STRING: signFormMessage(message, secretKey, values) }
}

function refuse(key: Parameters<typeof formErrorAnswer>[0], field: string | null, reason: string) {
  return { ok: false as const, answer: formErrorAnswer(key), field, reason }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
}
