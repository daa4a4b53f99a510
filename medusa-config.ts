import { defineConfig, loadEnv } from "@medusajs/framework/utils"

loadEnv(process.env.NODE_ENV || "development", process.cwd())

/**
 * This repository boots itself as a Medusa app for its tests and for plugin development.
 * A store installing the plugin writes the same entries with
 * `resolve: "medusa-payment-paysys"` (plugins) and
 * `resolve: "medusa-payment-paysys/providers/paysys"` / `.../providers/paysys-form` (payment providers).
 * Defaults point at the PaySys sandbox (`npm run sandbox`).
 *
 * PAYSYS_PROVIDERS picks the ways to connect: `card,form` (default), `card` (PCI DSS stores,
 * host-to-host), or `form` (stores without PCI DSS: the hosted form only, and the plugin gets
 * none of the card gateway's options).
 */
const providers = (process.env.PAYSYS_PROVIDERS ?? "card,form").split(",").map((name) => name.trim())
const withCard = providers.includes("card")
const withForm = providers.includes("form")

/** An env variable, unset when empty: the option's default applies. */
const env = (name: string) => process.env[name] || undefined
/** An env variable holding JSON, unset when empty. */
const json = (name: string) => (process.env[name] ? JSON.parse(process.env[name]) : undefined)

/**
 * Secrets and credentials. Their defaults are the sandbox's, published in this repository: fine on a
 * developer's machine (a warning names them, once), never in production, where Medusa refuses to
 * boot naming every one missing. Grouped by what uses them, so a store on the hosted form only is
 * not asked for the card gateway's.
 */
const developmentDefaults = { app: [] as string[], card: [] as string[], form: [] as string[] }
const secret = (group: keyof typeof developmentDefaults, name: string, sandboxDefault: string) => {
  const value = env(name)
  if (value === undefined) {
    developmentDefaults[group].push(name)
  }
  return value ?? sandboxDefault
}

/**
 * Reconciliation's pace: the plugin's module and both providers are given the same, so that the
 * attempts a provider opens and checks are paced as the module settles them.
 */
const scheduleOptions = {
  timeoutMs: process.env.PAYSYS_TIMEOUT_MS ?? 15_000,
  reconcileAfterSeconds: process.env.PAYSYS_RECONCILE_AFTER_SECONDS ?? 120,
  reverseAfterSeconds: process.env.PAYSYS_REVERSE_AFTER_SECONDS ?? 900,
  reconcileBackoffSeconds: env("PAYSYS_RECONCILE_BACKOFF_SECONDS"),
}

/** The plugin's own options, whichever way it connects. */
const pluginOptions = {
  ...scheduleOptions,
  abandonAfterSeconds: process.env.PAYSYS_ABANDON_AFTER_SECONDS ?? 3600,
  notificationMaxAttempts: process.env.PAYSYS_NOTIFICATION_MAX_ATTEMPTS ?? 8,
  backgroundCallsPerMinute: env("PAYSYS_BACKGROUND_CALLS_PER_MINUTE"),
  reportTimeZone: env("PAYSYS_REPORT_TIME_ZONE"),
  // the reverse proxies whose X-Forwarded-For is believed, comma-separated; none: the socket's address
  trustedProxies: env("PAYSYS_TRUSTED_PROXIES"),
  // card-testing defences, JSON: {"enabled":false} turns the limits off (tests, benchmarks); see the README
  limits: json("PAYSYS_LIMITS"),
  // {"verifyUrl":"https://challenges.cloudflare.com/turnstile/v0/siteverify","secret":"...","afterDeclines":3}
  captcha: json("PAYSYS_CAPTCHA"),
  detailedDeclines: process.env.PAYSYS_DETAILED_DECLINES === "true",
  pendingCardTtlSeconds: env("PAYSYS_PENDING_CARD_TTL_SECONDS"),
}

/** The host-to-host card gateway (PCI DSS stores). */
const cardGatewayOptions = {
  serviceId: secret("card", "PAYSYS_SERVICE_ID", "sandbox-service"),
  secretKey: secret("card", "PAYSYS_SECRET_KEY", "sandbox-secret"),
  vendorId: secret("card", "PAYSYS_VENDOR_ID", "100381"),
  vendorMethod: secret("card", "PAYSYS_VENDOR_METHOD", "sandbox-vendor"),
  vendorSecretKey: secret("card", "PAYSYS_VENDOR_SECRET_KEY", "sandbox-vendor-secret"),
  gatewayUrl: secret("card", "PAYSYS_GATEWAY_URL", "http://127.0.0.1:4010/gateway"),
  // a published development key: in production, generate one (openssl rand -base64 32) and keep it secret
  cardTokenKey: secret("card", "PAYSYS_CARD_TOKEN_KEY", "ZGV2ZWxvcG1lbnQtb25seS1wYXlzeXMtY2FyZC1rZXk="),
  // where PaySys may send shoppers back after 3-D Secure; empty: the store CORS origins below
  allowedRedirectOrigins: (process.env.PAYSYS_ALLOWED_REDIRECT_ORIGINS ?? "").split(",").filter(Boolean),
}
const paysysOptions = { ...pluginOptions, ...cardGatewayOptions }

/**
 * The hosted form (stores without PCI DSS): its own provider, and the plugin's module answers
 * PaySys's calls with the same options. Defaults: the sandbox's form (`npm run sandbox`). With the
 * plugin's schedule options: the provider opens and checks attempts at the module's pace.
 */
const sandboxUrl = process.env.PAYSYS_SANDBOX_URL ?? "http://127.0.0.1:4010"
const paysysFormOptions = {
  ...scheduleOptions,
  vendorId: secret("form", "PAYSYS_FORM_VENDOR_ID", "101234"),
  secretKey: secret("form", "PAYSYS_FORM_SECRET_KEY", "sandbox-form-secret"),
  environment: (process.env.PAYSYS_FORM_ENVIRONMENT ?? "sandbox") as "sandbox" | "live",
  sandboxFormUrl: process.env.PAYSYS_FORM_SANDBOX_URL ?? `${sandboxUrl}/form`,
  statusUrl: process.env.PAYSYS_FORM_STATUS_URL ?? `${sandboxUrl}/pay_api/payment_status`,
  formUrl: env("PAYSYS_FORM_URL"),
  returnOrigins: (process.env.PAYSYS_FORM_RETURN_ORIGINS ?? "").split(",").filter(Boolean),
  // the shipping line's IKPU code on fiscal receipts (a made-up one for the sandbox)
  shippingIkpuCode: process.env.PAYSYS_FORM_SHIPPING_IKPU_CODE ?? "10112006002000000",
  // JSON, whole sum / dollars: {"uzs":{"min":1000,"max":50000000}}
  amountLimits: env("PAYSYS_FORM_AMOUNT_LIMITS"),
  signTimeMaxSkewMs: env("PAYSYS_FORM_SIGN_TIME_MAX_SKEW_MS"),
  // PaySys's callback addresses (or CIDR ranges), comma-separated
  callbackIpAllowList: env("PAYSYS_FORM_CALLBACK_IP_ALLOW_LIST"),
  useWidget: env("PAYSYS_FORM_USE_WIDGET"),
}

/**
 * More storefronts than the one STORE_CORS names (`npm run demo` sets it to its own): say
 * EXTRA_STORE_CORS=http://localhost:8100 to run Medusa's Next.js starter against the demo
 * (docs/storefront/nextjs-starter.md). They get the store and auth routes, and PaySys may send
 * their shoppers back after 3-D Secure.
 */
const withExtraStoreOrigins = (origins: string) => [origins, process.env.EXTRA_STORE_CORS].filter(Boolean).join(",")

/** With REDIS_URL, Medusa's Redis event bus, workflow engine and locking (multi-server setups). */
const redisUrl = process.env.REDIS_URL
const redisModules = redisUrl
  ? [
      { resolve: "@medusajs/medusa/event-bus-redis", options: { redisUrl } },
      { resolve: "@medusajs/medusa/workflow-engine-redis", options: { redis: { redisUrl } } },
      {
        resolve: "@medusajs/medusa/locking",
        options: {
          providers: [
            { resolve: "@medusajs/medusa/locking-redis", id: "locking-redis", is_default: true, options: { redisUrl } },
          ],
        },
      },
    ]
  : []

const jwtSecret = secret("app", "JWT_SECRET", "supersecret")
const cookieSecret = secret("app", "COOKIE_SECRET", "supersecret")

const missingSecrets = [
  ...developmentDefaults.app,
  ...(withCard ? developmentDefaults.card : []),
  ...(withForm ? developmentDefaults.form : []),
]
if (missingSecrets.length && process.env.NODE_ENV === "production") {
  throw new Error(
    `NODE_ENV=production and ${missingSecrets.join(", ")} not set: the defaults are the sandbox's published development values. ` +
      "Set them (PAYSYS_CARD_TOKEN_KEY: openssl rand -base64 32)."
  )
}
// the config is loaded more than once per process: one warning is enough
const warned = globalThis as { paysysDevelopmentSecretsWarned?: boolean }
if (missingSecrets.length && !warned.paysysDevelopmentSecretsWarned) {
  warned.paysysDevelopmentSecretsWarned = true
  console.warn(
    `[medusa-config] using the sandbox's published development values for ${missingSecrets.join(", ")}: for development only`
  )
}

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    redisUrl,
    http: {
      storeCors: withExtraStoreOrigins(process.env.STORE_CORS ?? "http://localhost:8000"),
      adminCors: process.env.ADMIN_CORS ?? "http://localhost:9000",
      authCors: withExtraStoreOrigins(process.env.AUTH_CORS ?? "http://localhost:8000,http://localhost:9000"),
      jwtSecret,
      cookieSecret,
    },
  },
  // servers with no dashboard to serve (the tests' second server) set DISABLE_MEDUSA_ADMIN=true
  admin: { disable: process.env.DISABLE_MEDUSA_ADMIN === "true" },
  modules: [
    {
      resolve: "@medusajs/medusa/payment",
      options: {
        providers: [
          ...(withCard ? [{ resolve: "./src/providers/paysys", id: "paysys", options: paysysOptions }] : []),
          ...(withForm
            ? [{ resolve: "./src/providers/paysys-form", id: "paysys-form", options: paysysFormOptions }]
            : []),
        ],
      },
    },
    // installed from npm, the plugin's options reach this module by themselves
    {
      resolve: "./src/modules/paysys",
      options: {
        ...pluginOptions,
        ...(withCard ? cardGatewayOptions : {}),
        ...(withForm ? { form: paysysFormOptions } : {}),
      },
    },
    // the admin's notification feed (under the bell): where the plugin's "Needs you" alerts show
    {
      resolve: "@medusajs/medusa/notification",
      options: {
        providers: [{ resolve: "@medusajs/medusa/notification-local", id: "local", options: { channels: ["feed"] } }],
      },
    },
    ...redisModules,
  ],
})
