/*
 * The repository's medusa-config.ts (tests, demo, plugin development): its sandbox defaults are
 * published development secrets, never to be used in production.
 */

const SECRETS = {
  JWT_SECRET: "jwt-from-env",
  COOKIE_SECRET: "cookie-from-env",
  PAYSYS_SERVICE_ID: "service",
  PAYSYS_SECRET_KEY: "secret",
  PAYSYS_VENDOR_ID: "1",
  PAYSYS_VENDOR_METHOD: "method",
  PAYSYS_VENDOR_SECRET_KEY: "vendor-secret",
  PAYSYS_GATEWAY_URL: "https://paysys.example/gateway",
  PAYSYS_CARD_TOKEN_KEY: "a".repeat(64),
  PAYSYS_FORM_VENDOR_ID: "2",
  PAYSYS_FORM_SECRET_KEY: "form-secret",
}

type Config = { projectConfig: { http: { jwtSecret: string; cookieSecret: string } } }

function loadConfig(env: Record<string, string | undefined>): Config {
  const saved = { ...process.env }
  for (const name of [...Object.keys(SECRETS), "PAYSYS_PROVIDERS"]) {
    delete process.env[name]
  }
  Object.assign(process.env, env)
  try {
    let config: Config | undefined
    jest.isolateModules(() => {
      config = require("../../medusa-config")
    })
    return config!
  } finally {
    process.env = saved
  }
}

describe("medusa-config.ts", () => {
  let warn: jest.SpyInstance
  beforeEach(() => {
    delete (globalThis as { paysysDevelopmentSecretsWarned?: boolean }).paysysDevelopmentSecretsWarned
    warn = jest.spyOn(console, "warn").mockImplementation(() => undefined)
  })
  afterEach(() => warn.mockRestore())

  it("refuses to boot in production without the secrets, naming every one missing", () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(
      /JWT_SECRET, COOKIE_SECRET, PAYSYS_SERVICE_ID, PAYSYS_SECRET_KEY, .*PAYSYS_CARD_TOKEN_KEY, PAYSYS_FORM_VENDOR_ID, PAYSYS_FORM_SECRET_KEY not set/
    )
    const { JWT_SECRET: _, ...withoutJwt } = SECRETS
    expect(() => loadConfig({ NODE_ENV: "production", ...withoutJwt })).toThrow(
      /NODE_ENV=production and JWT_SECRET not set/
    )
  })

  it("asks a production store on the hosted form only for the form's credentials", () => {
    const form = { JWT_SECRET: "j", COOKIE_SECRET: "c", PAYSYS_FORM_VENDOR_ID: "2", PAYSYS_FORM_SECRET_KEY: "s" }
    expect(loadConfig({ NODE_ENV: "production", PAYSYS_PROVIDERS: "form", ...form }).projectConfig.http.jwtSecret).toBe(
      "j"
    )
    expect(() => loadConfig({ NODE_ENV: "production", PAYSYS_PROVIDERS: "form" })).toThrow(
      /COOKIE_SECRET, PAYSYS_FORM_VENDOR_ID/
    )
  })

  it("boots in production with every secret from the environment, without a warning", () => {
    const { http } = loadConfig({ NODE_ENV: "production", ...SECRETS }).projectConfig
    expect(http).toMatchObject({ jwtSecret: "jwt-from-env", cookieSecret: "cookie-from-env" })
    expect(warn).not.toHaveBeenCalled()
  })

  it("uses the sandbox defaults in development, warning once per process", () => {
    expect(loadConfig({ NODE_ENV: "development" }).projectConfig.http.jwtSecret).toBe("supersecret")
    loadConfig({ NODE_ENV: "development" })
    expect(warn).toHaveBeenCalledTimes(1)
    expect(warn.mock.calls[0][0]).toMatch(/JWT_SECRET, COOKIE_SECRET, PAYSYS_SERVICE_ID.*for development only/)
  })
})
