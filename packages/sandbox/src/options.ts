import { z } from "zod"

/** One line per gateway call or callback; the sandbox never passes card data to it. */
export type SandboxLogger = { info(line: string): void }

const nonEmpty = z.string().min(1, "must not be empty")
const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" })

/**
 * Options of `startPaysysSandbox`, all optional. Unknown keys are refused (a typo such as
 * `notifyURL` would otherwise silently leave callbacks off).
 */
export const sandboxOptionsSchema = z.strictObject({
  host: nonEmpty.default("127.0.0.1"),
  /** 0 picks a free port (tests) */
  port: z.number().int("must be an integer").min(0).max(65535).default(4010),
  /** base of confirm_url and of every link the sandbox prints; default http://<host>:<port> */
  publicUrl: httpUrl.optional(),

  // merchant credentials, as PaySys issues them in the cabinet
  serviceId: nonEmpty.default("sandbox-service"),
  secretKey: nonEmpty.default("sandbox-secret"),
  vendorId: nonEmpty.default("100381"),
  /** used for `Authorization: Basic base64(vendorMethod:vendorSecretKey)` on status notifications */
  vendorMethod: nonEmpty.default("sandbox-vendor"),
  vendorSecretKey: nonEmpty.default("sandbox-vendor-secret"),

  /** where transaction status notifications go; none = not sent (still logged) */
  notifyUrl: httpUrl.optional(),
  /** where partner.notify (card registration result) goes; defaults to notifyUrl */
  cardNotifyUrl: httpUrl.optional(),
  /** the hosted form's credentials: VENDOR_ID and SECRET_KEY */
  formVendorId: z
    .string()
    .regex(/^\d{1,19}$/, "must be digits (VENDOR_ID is an integer)")
    .default("101234"),
  formSecretKey: nonEmpty.default("sandbox-form-secret"),
  /** the merchant API base URL the form's calls go to (<base>/pay, /notify, ...); none = not sent */
  merchantApiUrl: httpUrl.optional(),

  /** one callback delivery's time limit (the form's Pay included) */
  notifyTimeoutMs: z.number().int().min(1).default(10_000),

  /** an Auth timestamp further than this from now is refused */
  authToleranceMs: z.number().int().min(0).default(300_000),
  /** the 3-D Secure code the shopper must type */
  threeDsCode: z
    .string()
    .regex(/^[0-9A-Za-z]{1,16}$/, "must be 1-16 letters or digits")
    .default("123456"),
  /** largest request body accepted, in bytes */
  maxBodyBytes: z.number().int().min(1024).default(1_000_000),
  /** PaySys's request limit: past this many gateway calls in a sliding minute, HTTP 429 + Retry-After; none: no limit */
  requestsPerMinute: z.number().int("must be an integer").min(1).optional(),

  logger: z
    .custom<SandboxLogger>(
      (value) => typeof value === "object" && value !== null && typeof (value as SandboxLogger).info === "function",
      "must be an object with an info(line) function"
    )
    .optional(),
})

export type PaysysSandboxOptions = z.input<typeof sandboxOptionsSchema>
export type ResolvedSandboxOptions = z.output<typeof sandboxOptionsSchema>

export class SandboxOptionsError extends Error {
  readonly name = "SandboxOptionsError"
  constructor(
    readonly option: string,
    message: string
  ) {
    super(message)
  }
}

/** Parses the options; a bad one throws a SandboxOptionsError naming it. */
export function parseSandboxOptions(input: PaysysSandboxOptions = {}): ResolvedSandboxOptions {
  const parsed = sandboxOptionsSchema.safeParse(input)
  if (parsed.success) {
    return parsed.data
  }
  const issue = parsed.error.issues[0]
  if (issue.code === "unrecognized_keys") {
    const keys = issue.keys.join(", ")
    return fail(
      issue.keys[0],
      `unknown PaySys sandbox option(s): ${keys}; known: ${Object.keys(sandboxOptionsSchema.shape).join(", ")}`
    )
  }
  const option = issue.path.join(".") || "options"
  return fail(option, `invalid PaySys sandbox option "${option}": ${issue.message}`)
}

function fail(option: string, message: string): never {
  throw new SandboxOptionsError(option, message)
}

/** http://host:port, with a wildcard host replaced by one a browser can open. */
export function defaultPublicUrl(host: string, port: number): string {
  const reachable = host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "::1" : host
  const hostPart = reachable.includes(":") ? `[${reachable}]` : reachable
  return `http://${hostPart}:${port}`
}
