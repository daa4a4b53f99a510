import { z } from "zod"
import {
  DEFAULT_FORM_PROTOCOL_OPTIONS as DEFAULTS,
  FORM_CURRENCY_NAMES,
  FORM_ENVIRONMENTS,
  FORM_ROUNDING_MODES,
  FormCurrency,
} from "../../paysys-form"
import { parseOptionsOf } from "./card-options"
import { scheduleOptionsSchema } from "./schedule-options"

const schedule = scheduleOptionsSchema.shape

const requiredText = (what: string) =>
  z
    .union([z.string(), z.number()], { error: `is required (${what})` })
    .transform(String)
    .pipe(z.string().trim().min(1, `is required (${what})`))

const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" })

/** Strings, or one string of them separated by commas (an env variable). */
const stringList = z.union([
  z.string().transform((list) =>
    list
      .split(",")
      .map((part) => part.trim())
      .filter(Boolean)
  ),
  z.array(z.string()),
])

/** An object, or its JSON (an env variable). */
const objectOrJson = z.unknown().transform((value, ctx) => {
  if (typeof value !== "string") {
    return value
  }
  try {
    return JSON.parse(value) as unknown
  } catch {
    ctx.addIssue({ code: "custom", message: "must be an object, or its JSON" })
    return z.NEVER
  }
})

const wholeUnits = z.coerce.number().int("must be a whole number of sum / dollars").positive()

/** Limits of the form's amount, in whole sum / dollars, per currency (DEFAULT_AMOUNT_LIMITS). */
const amountLimits = z.partialRecord(
  z.enum(Object.keys(FORM_CURRENCY_NAMES) as [FormCurrency, ...FormCurrency[]], {
    error: `the form takes ${Object.keys(FORM_CURRENCY_NAMES).join(" and ")} only`,
  }),
  z
    .strictObject({ min: wholeUnits.optional(), max: wholeUnits.optional() })
    .refine(
      (limits) => limits.min === undefined || limits.max === undefined || limits.min <= limits.max,
      "min must not exceed max"
    )
)

const ipOrRange = z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()], {
  error: "must be an IP address or a CIDR range (203.0.113.7, 203.0.113.0/24)",
})

/**
 * Options of the hosted-form provider (`medusa-payment-paysys/providers/paysys-form`), for
 * stores without PCI DSS. Every default is an assumption of `src/paysys-form/assumptions.ts`.
 * The plugin's module takes the same object as its `form` option: it answers PaySys's calls.
 */
export const paysysFormOptionsSchema = z.object({
  /** VENDOR_ID: the site id PaySys issued for the form */
  vendorId: requiredText("the form's VENDOR_ID PaySys issued").pipe(
    z.string().regex(/^\d{1,19}$/, "must be digits (VENDOR_ID is an integer)")
  ),
  /** SECRET_KEY: signs the form and every callback; never sent anywhere */
  secretKey: requiredText("the form's SECRET_KEY PaySys issued"),
  /** sandbox until PaySys's support confirmed the test payments */
  environment: z.enum(FORM_ENVIRONMENTS).default("sandbox"),
  formUrl: httpUrl.default(DEFAULTS.formUrl),
  sandboxFormUrl: httpUrl.default(DEFAULTS.sandboxFormUrl),
  statusUrl: httpUrl.default(DEFAULTS.statusUrl),
  /** per status API request */
  timeoutMs: schedule.timeoutMs,
  /** MERCHANT_TRANS_NOTE, mandatory free text PaySys shows with the payment */
  paymentNote: z.string().min(1).max(256).default("Order payment"),
  /** a total with a fraction of a whole sum/dollar: refused (`reject`) or rounded (`half_up`) */
  roundingMode: z.enum(FORM_ROUNDING_MODES).default(DEFAULTS.roundingMode),
  /** per currency, whole sum / dollars: `{ uzs: { min: 1000, max: 50000000 } }`; a session outside them is refused */
  amountLimits: objectOrJson.pipe(amountLimits).default(DEFAULTS.amountLimits),
  /** a second Pay for one order is refused while another accepted one is younger than this */
  pendingAttemptTtlMs: z.coerce.number().int().min(0).default(DEFAULTS.pendingAttemptTtlMs),
  /** a callback whose SIGN_TIME is further than this from now is refused (-1); null: no check */
  signTimeMaxSkewMs: z.coerce.number().int().min(1000).nullable().default(DEFAULTS.signTimeMaxSkewMs),
  /** the addresses (or CIDR ranges) PaySys calls from; a call from elsewhere is refused (-1). Empty: any */
  callbackIpAllowList: stringList.pipe(z.array(ipOrRange)).default([...DEFAULTS.callbackIpAllowList]),
  /** the session carries PaySys's checkout.js widget (unverified) for the storefront to show */
  useWidget: z.union([z.boolean(), z.stringbool()], { error: "must be true or false" }).default(DEFAULTS.useWidget),
  /**
   * Origins the shopper may be sent back to after the form (MERCHANT_TRANS_RETURN_URL, which is
   * unsigned). Empty: the store CORS origins (STORE_CORS).
   */
  returnOrigins: z.array(z.string()).default([]),
  /** the IKPU code of the shipping line of fiscal receipts (products keep theirs in metadata.ikpu_code) */
  shippingIkpuCode: z.string().trim().min(1).optional(),
  shippingVatPercent: z.coerce.number().int().min(0).max(100).optional(),
  /**
   * The reconciliation pace of the attempts this provider opens and checks: give it the plugin's
   * (the same options, the same defaults), so that the provider and the plugin's module agree
   */
  reconcileAfterSeconds: schedule.reconcileAfterSeconds,
  reconcileBackoffSeconds: schedule.reconcileBackoffSeconds,
  reconcileHorizonDays: schedule.reconcileHorizonDays,
  reverseAfterSeconds: schedule.reverseAfterSeconds,
})

export type PaysysFormOptionsInput = z.input<typeof paysysFormOptionsSchema>
export type PaysysFormOptions = z.output<typeof paysysFormOptionsSchema>

/** Parses the form's options once, at boot, naming every bad or missing option in one error. */
export function parsePaysysFormOptions(options: unknown): PaysysFormOptions {
  return parseOptionsOf(paysysFormOptionsSchema, options, "medusa-payment-paysys (paysys-form)")
}

/** The form URL the shopper's browser posts to, for the configured environment. */
export function formUrlOf(options: PaysysFormOptions): string {
  return options.environment === "live" ? options.formUrl : options.sandboxFormUrl
}
