import type { IncomingMessage } from "node:http"
import { z } from "zod"
import type { CallLog } from "./call-log"
import type { FaultRegistry } from "./faults"
import type { FormMerchantApi } from "./form-merchant-api"
import type { FormPayments } from "./form-state"
import { headerValue } from "./http-utils"
import type { Notifier } from "./notifier"
import type { RequestRateLimit } from "./rate-limit"
import type { SandboxState } from "./state"

/** What the control API's routes are made of (control-api.ts, form-control-routes.ts). */

export type RuntimeConfig = { notifyUrl: string | null; cardNotifyUrl: string | null; merchantApiUrl: string | null }

export type ControlDeps = {
  state: SandboxState
  notifier: Notifier
  faults: FaultRegistry
  calls: CallLog
  /** `requestsPerMinute`; none: no limit */
  rateLimit: RequestRateLimit | null
  formPayments: FormPayments
  formMerchantApi: FormMerchantApi
  runtime: RuntimeConfig
  maxBodyBytes: number
  describe: () => Record<string, unknown>
}

/** Answered as `status {"error": {field, message}}`. */
export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string
  ) {
    super(message)
  }
}

export type Route = {
  method: string
  pattern: RegExp
  handle: (
    deps: ControlDeps,
    match: string[],
    body: () => Promise<unknown>,
    query: URLSearchParams
  ) => Promise<unknown> | unknown
}

/** Parses a body; a bad one throws a 400 ControlError naming the field. */
export function parse<S extends z.ZodTypeAny>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value)
  if (parsed.success) {
    return parsed.data
  }
  const issue = parsed.error.issues[0]
  const field = issue.code === "unrecognized_keys" ? issue.keys.join(", ") : issue.path.join(".") || "body"
  const message = issue.code === "unrecognized_keys" ? `unknown field(s): ${field}` : `${field}: ${issue.message}`
  throw new ControlError(400, message, field)
}

/**
 * Why a write (anything but GET and HEAD) is refused, or null. Any web page a developer opens can
 * send a "simple" cross-site request to the sandbox on their machine: a form or a no-cors fetch
 * POSTs text/plain or a form body without asking first. Requiring application/json makes a
 * browser ask first (a CORS preflight, which the sandbox never grants), and a request that says it
 * comes from another site or origin is refused outright. The sandbox's own pages post to /3ds and
 * /form, never here; curl, the CLI and the tests send no Origin.
 */
export function writeRefusal(request: IncomingMessage): ControlError | null {
  if (request.method === "GET" || request.method === "HEAD") {
    return null
  }
  if (headerValue(request.headers["sec-fetch-site"]) === "cross-site") {
    return new ControlError(403, "cross-site writes to the control API are refused", "Sec-Fetch-Site")
  }
  const origin = headerValue(request.headers.origin)
  if (origin !== undefined && (!URL.canParse(origin) || new URL(origin).host !== request.headers.host)) {
    return new ControlError(403, `writes from another origin (${origin}) are refused`, "Origin")
  }
  const mediaType = headerValue(request.headers["content-type"])?.split(";")[0].trim().toLowerCase()
  if (request.method === "POST" && mediaType !== "application/json") {
    return new ControlError(415, "Content-Type: application/json expected", "Content-Type")
  }
  return null
}
