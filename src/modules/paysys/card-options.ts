import proxyaddr from "proxy-addr"
import { z } from "zod"
import { MedusaError } from "@medusajs/framework/utils"
import { parseKey } from "./token-cipher"
import { scheduleOptionsSchema } from "./schedule-options"
import { DEFAULT_RATE_LIMIT_MAX_WAIT_MS, DEFAULT_REPORT_TIME_ZONE, TRANSACTION_NOT_FOUND_CODES } from "../../paysys"

const isKey = (key: string) => {
  try {
    parseKey(key)
    return true
  } catch {
    return false
  }
}

/** What proxy-addr takes as a trusted proxy (it throws on anything else). */
function isProxyAddress(entry: string): boolean {
  try {
    proxyaddr.compile(entry)
    return true
  } catch {
    return false
  }
}

/** the reconciliation pace's options, kept in their places below (the order errors are named in) */
const schedule = scheduleOptionsSchema.shape

export const PAYSYS_GATEWAY_URL = "https://paysys.uz/gateway"

/** At most `points` per `seconds`; a decline costs `declineCost` points, anything else 1. */
const window = (points: number, seconds: number) =>
  z
    .object({ points: z.coerce.number().int().min(1), seconds: z.coerce.number().int().min(1) })
    .default({ points, seconds })

/**
 * Velocity limits on the store routes that reach PaySys with a card (card testing). Counted
 * where every server sees them: Redis when the store has it, else the database.
 */
export const cardLimitsSchema = z.object({
  /** off only for tests and benchmarks */
  enabled: z.boolean().default(true),
  /** card payments (a card posted, a saved card charged at cart completion) per client IP */
  paymentsPerIp: window(10, 600),
  paymentsPerSession: window(5, 3600),
  paymentsPerCart: window(10, 3600),
  /** per card: a keyed hash of its number (HMAC-SHA256), never the number */
  paymentsPerCard: window(3, 3600),
  paymentsPerCustomer: window(10, 3600),
  /** cards a customer starts saving (mir.card_registration) */
  registrationsPerCustomer: window(5, 86_400),
  registrationsPerIp: window(10, 86_400),
  /** points a decline costs (a success costs 1): a card tester, who mostly sees declines, is stopped sooner */
  declineCost: z.coerce.number().int().min(1).max(100).default(2),
})

/**
 * A CAPTCHA after repeated declines: siteverify of Cloudflare Turnstile
 * (https://challenges.cloudflare.com/turnstile/v0/siteverify) or hCaptcha (https://api.hcaptcha.com/siteverify).
 */
export const captchaSchema = z.object({
  verifyUrl: z.url({ error: "must be a URL" }),
  secret: z.string().min(1, "is required (the CAPTCHA provider's secret key)"),
  /** declines of one client IP or payment session within `declinesWindowSeconds` after which a token is required */
  afterDeclines: z.coerce.number().int().min(1).default(3),
  declinesWindowSeconds: z.coerce.number().int().min(1).default(3600),
  timeoutMs: z.coerce.number().int().min(100).max(30_000).default(5000),
})

const requiredText = (what: string) =>
  z
    .union([z.string(), z.number()], { error: `is required (${what})` })
    .transform(String)
    .pipe(z.string().trim().min(1, `is required (${what})`))

/**
 * The plugin's options, shared by the payment provider and the plugin's module.
 * Pass the same object to both in medusa-config.ts; secrets usually come from env.
 */
export const paysysOptionsSchema = z.object({
  /** PaySys service id: the first part of the Auth header */
  serviceId: requiredText("the service id PaySys issued"),
  /** PaySys secret key: signs every request, never sent */
  secretKey: requiredText("the secret key PaySys issued"),
  /** vendor_id: the site id PaySys issued for this store */
  vendorId: requiredText("the vendor id PaySys issued"),
  gatewayUrl: z.url({ error: "must be a URL" }).default(PAYSYS_GATEWAY_URL),
  /** the Basic credentials PaySys puts on its status notifications */
  vendorMethod: requiredText("the VENDOR_METHOD of PaySys notifications"),
  vendorSecretKey: requiredText("the VENDOR_SECRET_KEY of PaySys notifications"),
  timeoutMs: schedule.timeoutMs,
  /** extra attempts for check_payment, the one read-only call, after a transport failure */
  readRetries: z.coerce.number().int().min(0).max(5).default(2),
  /** what the shopper's bank statement and PaySys's cabinet show; `{order}` is not known yet at payment time */
  paymentDescription: z.string().min(1).max(125).default("Order payment"),
  /**
   * A full refund of a payment nothing was refunded from yet, within PaySys's 7-day window,
   * is sent as cancel_payment (a reversal): the shopper's hold is released at once and no
   * acquirer fee is kept. Falls back to refund_payment when PaySys refuses the reversal.
   */
  refundByCancel: z.boolean().default(true),
  /**
   * Origins the storefront may send shoppers back to after 3-D Secure. Empty: the
   * redirect_url's origin must be one of the store CORS origins.
   */
  allowedRedirectOrigins: z.array(z.string()).default([]),
  /**
   * Key encrypting saved cards' tokens at rest (AES-256-GCM): 32 bytes as 64 hex characters
   * or base64 (`openssl rand -base64 32`). Without it, saving cards is off.
   */
  cardTokenKey: z
    .string()
    .refine((key) => isKey(key), "must be 32 bytes: 64 hex characters or base64 (openssl rand -base64 32)")
    .optional(),
  reconcileAfterSeconds: schedule.reconcileAfterSeconds,
  /** a payment still waiting for 3-D Secure this long is taken as abandoned by the shopper */
  abandonAfterSeconds: z.coerce.number().int().min(1).default(3600),
  /** PaySys calls the reconciliation job makes at once */
  reconcileConcurrency: z.coerce.number().int().min(1).max(50).default(4),
  reconcileBackoffSeconds: schedule.reconcileBackoffSeconds,
  reconcileHorizonDays: schedule.reconcileHorizonDays,
  reverseAfterSeconds: schedule.reverseAfterSeconds,
  /** a notification whose processing failed this often is parked and shown to the merchant */
  notificationMaxAttempts: z.coerce.number().int().min(1).default(8),

  // PaySys's request limit, and what PaySys answers for a payment it never received
  /**
   * check_payment answered HTTP 429 is asked again after its Retry-After only when that is at
   * most this long; a longer wait is left to reconciliation. Writes answered 429 are never re-sent.
   */
  rateLimitMaxWaitMs: z.coerce.number().int().min(0).max(60_000).default(DEFAULT_RATE_LIMIT_MAX_WAIT_MS),
  /** check_payment's error codes meaning "no such transaction" (undocumented by PaySys); a list or "-31004,..." */
  transactionNotFoundCodes: z
    .union([z.string().transform((list) => list.split(",").map((part) => Number(part.trim()))), z.array(z.number())])
    .pipe(z.array(z.number().int()).min(1))
    .default([...TRANSACTION_NOT_FOUND_CODES]),

  // ---- the client's address ----
  /**
   * The reverse proxies in front of Medusa whose X-Forwarded-For is believed: addresses, CIDR
   * ranges, or proxy-addr's words `loopback`, `linklocal`, `uniquelocal`; a list or "a,b". Empty:
   * the socket's address, whatever the headers say (a client could choose it otherwise).
   */
  trustedProxies: z
    .union([
      z.string().transform((list) =>
        list
          .split(",")
          .map((part) => part.trim())
          .filter(Boolean)
      ),
      z.array(z.string()),
    ])
    .pipe(
      z.array(
        z.string().refine(isProxyAddress, "must be an IP address, a CIDR range, or loopback, linklocal, uniquelocal")
      )
    )
    .default([]),

  // PaySys's request budget (PaySys allows 100 requests a minute by default)
  /**
   * PaySys calls a minute that background work (reconciliation, confirming callbacks) may make,
   * counted across all servers (in Redis, else PostgreSQL); checkouts never wait on it
   */
  backgroundCallsPerMinute: z.coerce.number().int().min(1).default(60),

  /**
   * The time zone of the PaySys page's days (Payments, its totals and CSV): PaySys's cabinet
   * reports in Tashkent time; an IANA name PostgreSQL knows too
   */
  reportTimeZone: z
    .string()
    .refine(isTimeZone, "must be an IANA time zone, e.g. Asia/Tashkent")
    .default(DEFAULT_REPORT_TIME_ZONE),

  /** card-testing defences: velocity limits on card payments and card registrations */
  limits: cardLimitsSchema.default(cardLimitsSchema.parse({})),
  /** a CAPTCHA token required after repeated declines; unset: never */
  captcha: captchaSchema.optional(),
  /** PaySys's decline reason in the store's answers and payment_session.data (development only: it helps card testers) */
  detailedDeclines: z.boolean().default(false),
  /** a saved card still pending (3-D Secure not passed) this long is expired */
  pendingCardTtlSeconds: z.coerce.number().int().min(60).default(3600),
})

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name })
    return true
  } catch {
    return false
  }
}

export type PaysysOptionsInput = z.input<typeof paysysOptionsSchema>
export type PaysysOptions = z.output<typeof paysysOptionsSchema>
export type CardLimits = z.output<typeof cardLimitsSchema>
export type CaptchaOptions = z.output<typeof captchaSchema>

/** Parses options once, at boot, naming every bad or missing option in one error. */
export function parsePaysysOptions(options: unknown): PaysysOptions {
  return parseOptionsOf(paysysOptionsSchema, options, "medusa-payment-paysys")
}

/** Parses one provider's options, naming every bad or missing one in one error. */
export function parseOptionsOf<S extends z.ZodTypeAny>(schema: S, options: unknown, label: string): z.output<S> {
  const parsed = schema.safeParse(options ?? {})
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `\`${issue.path.join(".") || "options"}\` ${issue.message}`)
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `${label}: invalid options: ${problems.join("; ")}`)
  }
  return parsed.data
}
