import { defineConfig, loadEnv } from "@medusajs/framework/utils"

loadEnv(process.env.NODE_ENV || "development", process.cwd())

/**
 * This repository boots itself as a Medusa app for its tests and for plugin development.
 * A store installing the plugin writes the same two entries with
 * `resolve: "medusa-payment-paysys"` (plugins) and
 * `resolve: "medusa-payment-paysys/providers/paysys"` (payment providers).
 * Defaults point at the PaySys sandbox (`npm run sandbox`).
 */
const paysysOptions = {
  serviceId: process.env.PAYSYS_SERVICE_ID ?? "sandbox-service",
  secretKey: process.env.PAYSYS_SECRET_KEY ?? "sandbox-secret",
  vendorId: process.env.PAYSYS_VENDOR_ID ?? "100381",
  vendorMethod: process.env.PAYSYS_VENDOR_METHOD ?? "sandbox-vendor",
  vendorSecretKey: process.env.PAYSYS_VENDOR_SECRET_KEY ?? "sandbox-vendor-secret",
  gatewayUrl: process.env.PAYSYS_GATEWAY_URL ?? "http://127.0.0.1:4010/gateway",
  timeoutMs: process.env.PAYSYS_TIMEOUT_MS ?? 15_000,
  reconcileAfterSeconds: process.env.PAYSYS_RECONCILE_AFTER_SECONDS ?? 120,
  abandonAfterSeconds: process.env.PAYSYS_ABANDON_AFTER_SECONDS ?? 3600,
  // a development key: in production, generate one (openssl rand -base64 32) and keep it secret
  cardTokenKey: process.env.PAYSYS_CARD_TOKEN_KEY ?? "ZGV2ZWxvcG1lbnQtb25seS1wYXlzeXMtY2FyZC1rZXk=",
}

/** With REDIS_URL, Medusa's Redis event bus, workflow engine and locking (multi-server setups). */
const redisUrl = process.env.REDIS_URL
const redisModules = redisUrl
  ? [
      { resolve: "@medusajs/medusa/event-bus-redis", options: { redisUrl } },
      { resolve: "@medusajs/medusa/workflow-engine-redis", options: { redis: { redisUrl } } },
      {
        resolve: "@medusajs/medusa/locking",
        options: {
          providers: [{ resolve: "@medusajs/medusa/locking-redis", id: "locking-redis", is_default: true, options: { redisUrl } }],
        },
      },
    ]
  : []

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    redisUrl,
    http: {
      storeCors: process.env.STORE_CORS ?? "http://localhost:8000",
      adminCors: process.env.ADMIN_CORS ?? "http://localhost:9000",
      authCors: process.env.AUTH_CORS ?? "http://localhost:8000,http://localhost:9000",
      jwtSecret: process.env.JWT_SECRET ?? "supersecret",
      cookieSecret: process.env.COOKIE_SECRET ?? "supersecret",
    },
  },
  // servers with no dashboard to serve (the tests' second server) set DISABLE_MEDUSA_ADMIN=true
  admin: { disable: process.env.DISABLE_MEDUSA_ADMIN === "true" },
  modules: [
    {
      resolve: "@medusajs/medusa/payment",
      options: {
        providers: [{ resolve: "./src/providers/paysys", id: "paysys", options: paysysOptions }],
      },
    },
    // installed from npm, the plugin's options reach this module by themselves
    { resolve: "./src/modules/paysys", options: paysysOptions },
    ...redisModules,
  ],
})
