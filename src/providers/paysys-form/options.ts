import { z } from "zod"
import {
  DEFAULT_FORM_URL,
  DEFAULT_PENDING_ATTEMPT_TTL_MS,
  DEFAULT_ROUNDING_MODE,
  DEFAULT_SANDBOX_FORM_URL,
  DEFAULT_STATUS_URL,
  FORM_ENVIRONMENTS,
  FORM_ROUNDING_MODES,
} from "../../paysys-form"
import { parseOptionsOf } from "../paysys/options"

const requiredText = (what: string) =>
  z.union([z.string(), z.number()], { error: `is required (${what})` })
    .transform(String)
    .pipe(z.string().trim().min(1, `is required (${what})`))

const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" })

/**
 * Options of the hosted-form provider (`medusa-payment-paysys/providers/paysys-form`), for
 * stores without PCI DSS. Every default is an assumption of `src/paysys-form/assumptions.ts`.
 * The plugin's module takes the same object as its `form` option: it answers PaySys's calls.
 */
export const paysysFormOptionsSchema = z.object({
  /** VENDOR_ID: the site id PaySys issued for the form */
  vendorId: requiredText("the form's VENDOR_ID PaySys issued").pipe(z.string().regex(/^\d{1,19}$/, "must be digits (VENDOR_ID is an integer)")),
  /** SECRET_KEY: signs the form and every callback; never sent anywhere */
  secretKey: requiredText("the form's SECRET_KEY PaySys issued"),
  /** sandbox until PaySys's support confirmed the test payments (payment-form.md §11) */
  environment: z.enum(FORM_ENVIRONMENTS).default("sandbox"),
  formUrl: httpUrl.default(DEFAULT_FORM_URL),
  sandboxFormUrl: httpUrl.default(DEFAULT_SANDBOX_FORM_URL),
  statusUrl: httpUrl.default(DEFAULT_STATUS_URL),
  /** per status API request */
  timeoutMs: z.coerce.number().int().min(1000).max(120_000).default(15_000),
  /** MERCHANT_TRANS_NOTE, mandatory free text PaySys shows with the payment */
  paymentNote: z.string().min(1).max(256).default("Order payment"),
  /** a total with a fraction of a whole sum/dollar: refused (`reject`) or rounded (`half_up`) */
  roundingMode: z.enum(FORM_ROUNDING_MODES).default(DEFAULT_ROUNDING_MODE),
  /** a second Pay for one order is refused while another accepted one is younger than this */
  pendingAttemptTtlMs: z.coerce.number().int().min(0).default(DEFAULT_PENDING_ATTEMPT_TTL_MS),
  /**
   * Origins the shopper may be sent back to after the form (MERCHANT_TRANS_RETURN_URL, which is
   * unsigned). Empty: the store CORS origins (STORE_CORS).
   */
  returnOrigins: z.array(z.string()).default([]),
  /** the IKPU code of the shipping line of fiscal receipts (products keep theirs in metadata.ikpu_code) */
  shippingIkpuCode: z.string().trim().min(1).optional(),
  shippingVatPercent: z.coerce.number().int().min(0).max(100).optional(),
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
