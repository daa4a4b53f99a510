/*
 * Every value of the PaySys form protocol that the documentation leaves open, in one place, each
 * a named constant that the code refers to by name. The ones a merchant may need to change are
 * the defaults of `FormProtocolOptions`, which a provider may override.
 */

/** Form URLs (agr.uz hosts the form PaySys uses) and the status API. */
export const DEFAULT_FORM_URL = "https://agr.uz/pay"
export const DEFAULT_SANDBOX_FORM_URL = "https://agr.uz/sandbox"
export const DEFAULT_STATUS_URL = "https://agr.uz/pay_api/payment_status"

/**
 * SIGN_TIME: we send milliseconds; callbacks may carry seconds (two live shops send them).
 * Only these two shapes are read: 10 digits (seconds) or 13 digits (milliseconds), no leading
 * zero, anything else is a malformed request (-8). A value below SIGN_TIME_SECONDS_BELOW is
 * seconds. The signatures are md5 over the fields' digits run together, so a signature minted
 * for one call also fits other splits of the same digits; a SIGN_TIME of a fixed length, fresh,
 * pins where the digits end.
 *
 * Freshness is checked by default: 10 minutes either way covers a PaySys that retries a call
 * for a few minutes (the same SIGN_TIME is sent again) and servers whose clocks are off by a
 * minute or two, while a call recorded today cannot be played back tomorrow. A merchant whose
 * PaySys retries for longer raises it; null turns the check off (not advised).
 */
export const SIGN_TIME_SECONDS_BELOW = 100_000_000_000
export const SIGN_TIME_DIGITS = [10, 13] as const
export const DEFAULT_SIGN_TIME_MAX_SKEW_MS: number | null = 10 * 60 * 1000

/**
 * The form's amount is an integer of major units (whole sum, whole dollars). A total with
 * a fraction of a major unit is refused by default rather than rounded.
 */
export const FORM_ROUNDING_MODES = ["reject", "half_up"] as const
export type FormRoundingMode = (typeof FORM_ROUNDING_MODES)[number]
export const DEFAULT_ROUNDING_MODE: FormRoundingMode = "reject"

/** Medusa currency code -> the form's MERCHANT_CURRENCY, lower case; other currencies are refused. */
export const FORM_CURRENCY_NAMES = { uzs: "sum", usd: "usd" } as const
export type FormCurrency = keyof typeof FORM_CURRENCY_NAMES

/** No limits of our own; a provider may set some (major units, per currency). */
export type FormAmountLimits = Partial<Record<FormCurrency, { min?: number; max?: number }>>
export const DEFAULT_AMOUNT_LIMITS: FormAmountLimits = {}

/** PaySys appends nothing we rely on to MERCHANT_TRANS_RETURN_URL; the return proves nothing. */
export const RETURN_URL_PROVES_PAYMENT = false

/** Info may come at any time; PARAMETERS holds no personal data. */
export const INFO_PARAMETERS_MAY_HOLD_PII = false

/** Callbacks may repeat; every answer is HTTP 200 JSON, errors included. */
export const CALLBACK_HTTP_STATUS = 200

/** VENDOR_TRANS_ID is a positive integer (an int64 in public code): a numeric sequence. */
export const VENDOR_TRANS_ID_MAX = Number.MAX_SAFE_INTEGER

/** Pay accepted without Notify is unknown, not failed: reconcile it. */
export const PAY_ACCEPTED_WITHOUT_NOTIFY_IS_FAILURE = false

/** The status API: ERROR 0 means paid; anything else means "not paid yet". */
export const STATUS_API_PAID_ERROR = 0

/** Cancel is accepted (0) unless the payment is already cancelled (-9). */
export const CANCEL_ACCEPTED_UNLESS_CANCELLED = true

/** Fiscalization `price` is the unit price, in sum (major units), like the payment amount. */
export const FISCAL_PRICE_IS_UNIT_PRICE = true

/**
 * Statement lists attempts by the time their Pay was accepted, [FROM, TO] inclusive, per
 * environment. PaySys reconciles monthly: a window longer than a month (31 days), or with FROM
 * after TO, is a malformed request (-8), and an answer lists at most STATEMENT_MAX_TRANSACTIONS
 * payments (the oldest), so that no call can make us read and send the whole ledger.
 */
export const STATEMENT_BOUNDS_INCLUSIVE = true
export const STATEMENT_MAX_WINDOW_MS = 31 * 24 * 3600 * 1000
export const STATEMENT_MAX_TRANSACTIONS = 10_000

/**
 * The checkout.js widget is unverified: off. On, the session tells the storefront where the
 * widget's script is and which URL it posts to (known from public merchant code only).
 */
export const DEFAULT_USE_WIDGET = false
export const WIDGET_SCRIPT_URL = "https://paysys.uz/application/resources/js/checkout.js"
export const WIDGET_FORM_URL = "https://paysys.uz/pay-universal"

/**
 * Callback bodies: JSON first, form-encoded as a fallback. Every callback is a few hundred
 * bytes: a body over MAX_CALLBACK_BODY_BYTES is not read into memory and is answered like any
 * malformed request, -8 with HTTP 200 (CALLBACK_HTTP_STATUS), not HTTP 413, which PaySys's handling does not name.
 */
export const CALLBACK_BODY_ENCODINGS = ["json", "form"] as const
export const MAX_CALLBACK_BODY_BYTES = 100_000

/** A second attempt for an order is refused (-4) while another is pending and younger than this. */
export const DEFAULT_PENDING_ATTEMPT_TTL_MS = 15 * 60 * 1000

/** Sandbox and live may have different credentials: the ENVIRONMENT of Pay selects the set. */
export const FORM_ENVIRONMENTS = ["sandbox", "live"] as const
export type FormEnvironment = (typeof FORM_ENVIRONMENTS)[number]

/**
 * No authentication besides SIGN_STRING; an optional IP allow-list (addresses or CIDR
 * ranges), empty (= anyone). A call from elsewhere is answered like a forged signature (-1): the
 * protocol has no other "not authenticated" answer, and a stranger learns nothing from it.
 */
export const DEFAULT_CALLBACK_IP_ALLOW_LIST: readonly string[] = []
export const CALLBACK_IP_REFUSAL = "SIGN_CHECK_FAILED" as const

/*
 * Choices of answer codes that are ours, not PaySys's.
 */

/** The auto-test expects this note for a body that is not JSON; missing fields get -8 too (not -3). */
export const MALFORMED_REQUEST_NOTE = "Error in request"

/** A Pay with ENVIRONMENT=sandbox reaching a live deployment is refused with -8. */
export const REFUSE_SANDBOX_PAY_ON_LIVE = true

/**
 * The paths under the merchant API base URL where the plugin serves each callback; the sandbox
 * and `paysys-sandbox autotest` call `<base>/<path>`. PaySys's cabinet takes any six URLs: these
 * are what we tell merchants to enter.
 */
export const MERCHANT_API_PATHS = {
  info: "info",
  pay: "pay",
  notify: "notify",
  cancel: "cancel",
  statement: "statement",
  fiscalization: "fiscalization",
} as const
export type MerchantCallback = keyof typeof MERCHANT_API_PATHS

/** The options a form provider may set; every default above. */
export type FormProtocolOptions = {
  formUrl: string
  sandboxFormUrl: string
  statusUrl: string
  signTimeMaxSkewMs: number | null
  roundingMode: FormRoundingMode
  amountLimits: FormAmountLimits
  useWidget: boolean
  pendingAttemptTtlMs: number
  callbackIpAllowList: readonly string[]
}

export const DEFAULT_FORM_PROTOCOL_OPTIONS: FormProtocolOptions = {
  formUrl: DEFAULT_FORM_URL,
  sandboxFormUrl: DEFAULT_SANDBOX_FORM_URL,
  statusUrl: DEFAULT_STATUS_URL,
  signTimeMaxSkewMs: DEFAULT_SIGN_TIME_MAX_SKEW_MS,
  roundingMode: DEFAULT_ROUNDING_MODE,
  amountLimits: DEFAULT_AMOUNT_LIMITS,
  useWidget: DEFAULT_USE_WIDGET,
  pendingAttemptTtlMs: DEFAULT_PENDING_ATTEMPT_TTL_MS,
  callbackIpAllowList: DEFAULT_CALLBACK_IP_ALLOW_LIST,
}
