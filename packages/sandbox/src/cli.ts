#!/usr/bin/env node
import { parseArgs } from "node:util"
import { autotestMain } from "./autotest-cli"
import { PaysysSandboxOptions, SandboxOptionsError } from "./options"
import { PaysysSandbox, startPaysysSandbox } from "./server"
import { describeFormTestCards } from "./form-cards"
import { describeTestCards } from "./test-cards"

/*
 * paysys-sandbox: runs the PaySys sandbox in the foreground.
 *
 *   npx paysys-sandbox --port 4010 --notify-url http://localhost:9000/hooks/paysys
 *   npm run sandbox                                         (from a checkout of the repository)
 *   npx paysys-sandbox autotest <merchant API base URL> ...  (autotest-cli.ts)
 *
 * Every option comes from a flag or an environment variable (the flag wins).
 */

type CliOption = {
  flag: string
  env: string
  option: keyof PaysysSandboxOptions
  kind: "string" | "integer"
  help: string
}

export const CLI_OPTIONS: CliOption[] = [
  {
    flag: "host",
    env: "PAYSYS_SANDBOX_HOST",
    option: "host",
    kind: "string",
    help: "address to listen on (127.0.0.1)",
  },
  { flag: "port", env: "PAYSYS_SANDBOX_PORT", option: "port", kind: "integer", help: "port (4010; 0 = any free port)" },
  {
    flag: "public-url",
    env: "PAYSYS_SANDBOX_PUBLIC_URL",
    option: "publicUrl",
    kind: "string",
    help: "base of confirm_url (http://host:port)",
  },
  {
    flag: "notify-url",
    env: "PAYSYS_SANDBOX_NOTIFY_URL",
    option: "notifyUrl",
    kind: "string",
    help: "where status notifications go (none: not sent)",
  },
  {
    flag: "card-notify-url",
    env: "PAYSYS_SANDBOX_CARD_NOTIFY_URL",
    option: "cardNotifyUrl",
    kind: "string",
    help: "where partner.notify goes (the notify URL)",
  },
  {
    flag: "service-id",
    env: "PAYSYS_SANDBOX_SERVICE_ID",
    option: "serviceId",
    kind: "string",
    help: "merchant service_id (sandbox-service)",
  },
  {
    flag: "secret-key",
    env: "PAYSYS_SANDBOX_SECRET_KEY",
    option: "secretKey",
    kind: "string",
    help: "merchant secret_key (sandbox-secret)",
  },
  {
    flag: "vendor-id",
    env: "PAYSYS_SANDBOX_VENDOR_ID",
    option: "vendorId",
    kind: "string",
    help: "vendor_id (100381)",
  },
  {
    flag: "vendor-method",
    env: "PAYSYS_SANDBOX_VENDOR_METHOD",
    option: "vendorMethod",
    kind: "string",
    help: "user of the notifications' Basic auth (sandbox-vendor)",
  },
  {
    flag: "vendor-secret-key",
    env: "PAYSYS_SANDBOX_VENDOR_SECRET_KEY",
    option: "vendorSecretKey",
    kind: "string",
    help: "password of the notifications' Basic auth (sandbox-vendor-secret)",
  },
  {
    flag: "auth-tolerance-ms",
    env: "PAYSYS_SANDBOX_AUTH_TOLERANCE_MS",
    option: "authToleranceMs",
    kind: "integer",
    help: "accepted Auth timestamp skew (300000)",
  },
  {
    flag: "three-ds-code",
    env: "PAYSYS_SANDBOX_THREE_DS_CODE",
    option: "threeDsCode",
    kind: "string",
    help: "the 3-D Secure code (123456)",
  },
  {
    flag: "notify-timeout-ms",
    env: "PAYSYS_SANDBOX_NOTIFY_TIMEOUT_MS",
    option: "notifyTimeoutMs",
    kind: "integer",
    help: "time limit of one callback (10000)",
  },
  {
    flag: "merchant-api-url",
    env: "PAYSYS_SANDBOX_MERCHANT_API_URL",
    option: "merchantApiUrl",
    kind: "string",
    help: "the form's merchant API base: <base>/pay, /notify, ... (none: not sent)",
  },
  {
    flag: "form-vendor-id",
    env: "PAYSYS_SANDBOX_FORM_VENDOR_ID",
    option: "formVendorId",
    kind: "string",
    help: "the form's VENDOR_ID (101234)",
  },
  {
    flag: "form-secret-key",
    env: "PAYSYS_SANDBOX_FORM_SECRET_KEY",
    option: "formSecretKey",
    kind: "string",
    help: "the form's SECRET_KEY (sandbox-form-secret)",
  },
  {
    flag: "requests-per-minute",
    env: "PAYSYS_SANDBOX_REQUESTS_PER_MINUTE",
    option: "requestsPerMinute",
    kind: "integer",
    help: "HTTP 429 past this many gateway calls a minute, as PaySys (none: no limit)",
  },
]

export class CliUsageError extends Error {
  readonly name = "CliUsageError"
}

export type CliConfig = { options: PaysysSandboxOptions; quiet: boolean; help: boolean }

/** Options from flags and environment variables; a bad value throws a CliUsageError naming the flag. */
export function readCliConfig(argv: string[], env: NodeJS.ProcessEnv): CliConfig {
  let values: Record<string, string | boolean | undefined>
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        ...Object.fromEntries(CLI_OPTIONS.map((o) => [o.flag, { type: "string" as const }])),
        quiet: { type: "boolean", short: "q" },
        help: { type: "boolean", short: "h" },
      },
    }).values
  } catch (error) {
    throw new CliUsageError((error as Error).message)
  }
  const options: Record<string, string | number> = {}
  for (const o of CLI_OPTIONS) {
    const fromFlag = values[o.flag]
    const raw = typeof fromFlag === "string" ? fromFlag : env[o.env]
    const source = typeof fromFlag === "string" ? `--${o.flag}` : o.env
    if (raw === undefined || raw === "") {
      continue
    }
    if (o.kind === "integer") {
      if (!/^\d+$/.test(raw.trim())) {
        throw new CliUsageError(`${source} must be a whole number`)
      }
      options[o.option] = Number(raw.trim())
    } else {
      options[o.option] = raw
    }
  }
  return { options: options as PaysysSandboxOptions, quiet: values.quiet === true, help: values.help === true }
}

export function usage(): string {
  const lines = CLI_OPTIONS.map((o) => `  --${`${o.flag} <value>`.padEnd(28)} ${o.env.padEnd(34)} ${o.help}`)
  return [
    "Usage: paysys-sandbox [options]",
    "       paysys-sandbox autotest <merchant API base URL> [options]   (autotest --help)",
    "",
    "Runs a local emulator of the PaySys card API (gateway, 3-D Secure pages, callbacks, control API)",
    "and of its hosted payment form (form page, merchant-API calls, status API).",
    "",
    "  flag                           environment variable               meaning (default)",
    ...lines,
    "  --quiet, -q                    do not print a line per call",
    "  --help, -h                     this help",
  ].join("\n")
}

/** Said first when no callback URL is set: without callbacks Medusa hears of a payment only later. */
export const NO_CALLBACKS_WARNING = [
  "No --notify-url: the sandbox sends NO callbacks (payment status notifications, partner.notify).",
  "  Medusa then learns of a payment only when the storefront completes the cart or its reconciliation",
  "  job asks PaySys, and saved cards are never confirmed. To send them to your Medusa:",
  "    npx paysys-sandbox --notify-url http://localhost:9000/hooks/paysys",
].join("\n")

export function banner(
  sandbox: PaysysSandbox,
  notifyUrl: string | null,
  cardNotifyUrl: string | null,
  merchantApiUrl: string | null = null
): string {
  const c = sandbox.credentials
  return [
    "PaySys sandbox is running",
    "",
    ...(notifyUrl || cardNotifyUrl ? [] : [NO_CALLBACKS_WARNING, ""]),
    `  gateway            POST ${sandbox.gatewayUrl}`,
    `  index page         ${sandbox.url}/`,
    `  control API        ${sandbox.url}/__sandbox`,
    "",
    `  service_id         ${c.serviceId}`,
    `  secret_key         ${c.secretKey}`,
    `  vendor_id          ${c.vendorId}`,
    `  notifications      ${notifyUrl ?? "not sent (set --notify-url or PAYSYS_SANDBOX_NOTIFY_URL)"}`,
    `  card notifications ${cardNotifyUrl ?? "not sent (set --card-notify-url or --notify-url)"}`,
    `  notification auth  Basic base64(${c.vendorMethod}:${c.vendorSecretKey})`,
    `  3-D Secure code    ${c.threeDsCode}`,
    "",
    "Test cards (any future expiry, any 3-digit CVC; any other Luhn-valid Visa/MC/MIR number is approved):",
    ...describeTestCards().map((line) => `  ${line}`),
    "",
    `  payment form       POST ${sandbox.formUrl}`,
    `  form status API    POST ${sandbox.statusUrl}`,
    `  form VENDOR_ID     ${c.formVendorId}`,
    `  form SECRET_KEY    ${c.formSecretKey}`,
    `  merchant API       ${merchantApiUrl ? `${merchantApiUrl}/{info,pay,notify,cancel,statement,fiscalization}` : "not called (set --merchant-api-url)"}`,
    `  SMS code           ${c.threeDsCode}`,
    "",
    "Payment form test cards (any future MM/YY):",
    ...describeFormTestCards().map((line) => `  ${line}`),
    "",
    "Ctrl-C to stop.",
  ].join("\n")
}

export async function main(
  argv: string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env
): Promise<number> {
  if (argv[0] === "autotest") {
    const write = (stream: NodeJS.WriteStream) => (text: string) => void stream.write(text)
    return autotestMain(argv.slice(1), env, write(process.stdout), write(process.stderr))
  }
  let config: CliConfig
  try {
    config = readCliConfig(argv, env)
  } catch (error) {
    process.stderr.write(`paysys-sandbox: ${(error as Error).message}\n\n${usage()}\n`)
    return 2
  }
  if (config.help) {
    process.stdout.write(`${usage()}\n`)
    return 0
  }
  const logger = config.quiet
    ? undefined
    : { info: (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`) }

  let sandbox: PaysysSandbox
  try {
    sandbox = await startPaysysSandbox({ ...config.options, logger })
  } catch (error) {
    const flag = error instanceof SandboxOptionsError ? flagHint(error.option) : ""
    process.stderr.write(`paysys-sandbox: ${(error as Error).message}${flag}\n`)
    return error instanceof SandboxOptionsError ? 2 : 1
  }
  const notifyUrl = (config.options.notifyUrl as string | undefined) ?? null
  const cardNotifyUrl = (config.options.cardNotifyUrl as string | undefined) ?? notifyUrl
  const merchantApiUrl = (config.options.merchantApiUrl as string | undefined) ?? null
  process.stdout.write(`${banner(sandbox, notifyUrl, cardNotifyUrl, merchantApiUrl)}\n`)

  return new Promise<number>((resolve) => {
    let stopping = false
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        process.stderr.write("paysys-sandbox: forced exit\n")
        process.exit(130)
      }
      stopping = true
      process.stdout.write(`\n${signal}: closing the PaySys sandbox...\n`)
      sandbox.close().then(
        () => {
          process.stdout.write("PaySys sandbox closed.\n")
          resolve(0)
        },
        () => resolve(1)
      )
    }
    process.on("SIGINT", stop)
    process.on("SIGTERM", stop)
  })
}

function flagHint(option: string): string {
  const o = CLI_OPTIONS.find((candidate) => candidate.option === option)
  return o ? ` (--${o.flag} / ${o.env})` : ""
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`paysys-sandbox: ${(error as Error)?.message ?? String(error)}\n`)
      process.exit(1)
    }
  )
}
