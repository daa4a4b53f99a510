import { parseArgs } from "node:util"
import { z } from "zod"
import { AutotestOptions, formatAutotest, runAutotest } from "./autotest"

/*
 * paysys-sandbox autotest <merchant API base URL> --vendor-id <id> --secret-key <key>
 *                         [--order <MERCHANT_TRANS_ID> --amount <sum>] [--environment sandbox|live]
 * Exit code: 0 every check passed (skips allowed), 1 a check failed, 2 bad usage.
 */

export const AUTOTEST_USAGE = [
  "Usage: paysys-sandbox autotest <merchant API base URL> [options]",
  "",
  "Sends what PaySys's cabinet auto-test sends to <base>/info, /pay, /notify, /cancel, /statement,",
  "/fiscalization and prints one line per check (PASS, FAIL, SKIP).",
  "",
  "  --vendor-id <id>       PAYSYS_FORM_VENDOR_ID     your VENDOR_ID (required)",
  "  --secret-key <key>     PAYSYS_FORM_SECRET_KEY    your SECRET_KEY (required)",
  "  --order <id>           an unpaid order's MERCHANT_TRANS_ID: enables the wrong-amount check and the",
  "                         full scenario, which PAYS THEN CANCELS that order in your records",
  "  --amount <sum>         that order's MERCHANT_TRANS_AMOUNT as the form sent it (whole sum)",
  "  --environment <env>    ENVIRONMENT sent in Pay: sandbox (default) or live",
  "  --timeout-ms <ms>      time limit of one request (10000)",
  "",
  "Exit code: 0 all passed, 1 a check failed, 2 bad usage.",
].join("\n")

const argsSchema = z
  .object({
    baseUrl: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }),
    vendorId: z
      .string({ error: "is required (--vendor-id or PAYSYS_FORM_VENDOR_ID)" })
      .regex(/^\d+$/, "must be digits"),
    secretKey: z.string({ error: "is required (--secret-key or PAYSYS_FORM_SECRET_KEY)" }).min(1, "must not be empty"),
    order: z.string().min(1).optional(),
    amount: z
      .string()
      .regex(/^[1-9]\d*$/, "must be a positive whole number of sum")
      .optional(),
    environment: z.enum(["sandbox", "live"]).optional(),
    timeoutMs: z.coerce.number().int().min(1).optional(),
  })
  .refine((a) => (a.order === undefined) === (a.amount === undefined), {
    path: ["order"],
    message: "--order and --amount go together",
  })

const FLAGS: Record<string, string> = {
  baseUrl: "<merchant API base URL>",
  vendorId: "--vendor-id",
  secretKey: "--secret-key",
  order: "--order",
  amount: "--amount",
  environment: "--environment",
  timeoutMs: "--timeout-ms",
}

export class AutotestUsageError extends Error {
  readonly name = "AutotestUsageError"
}

export function readAutotestArgs(argv: string[], env: NodeJS.ProcessEnv): AutotestOptions | "help" {
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        "vendor-id": { type: "string" },
        "secret-key": { type: "string" },
        order: { type: "string" },
        amount: { type: "string" },
        environment: { type: "string" },
        "timeout-ms": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    })
  } catch (error) {
    throw new AutotestUsageError((error as Error).message)
  }
  const { values, positionals } = parsed
  if (values.help) {
    return "help"
  }
  if (positionals.length !== 1) {
    throw new AutotestUsageError("give exactly one merchant API base URL")
  }
  const result = argsSchema.safeParse({
    baseUrl: positionals[0],
    vendorId: values["vendor-id"] ?? env.PAYSYS_FORM_VENDOR_ID,
    secretKey: values["secret-key"] ?? env.PAYSYS_FORM_SECRET_KEY,
    order: values.order,
    amount: values.amount,
    environment: values.environment,
    timeoutMs: values["timeout-ms"],
  })
  if (!result.success) {
    const issue = result.error.issues[0]
    const key = String(issue.path[0])
    throw new AutotestUsageError(`${FLAGS[key] ?? key} ${issue.message}`)
  }
  return result.data
}

export async function autotestMain(
  argv: string[],
  env: NodeJS.ProcessEnv,
  out: (text: string) => void,
  err: (text: string) => void
): Promise<number> {
  let options: AutotestOptions | "help"
  try {
    options = readAutotestArgs(argv, env)
  } catch (error) {
    err(`paysys-sandbox autotest: ${(error as Error).message}\n\n${AUTOTEST_USAGE}\n`)
    return 2
  }
  if (options === "help") {
    out(`${AUTOTEST_USAGE}\n`)
    return 0
  }
  out(`PaySys merchant API auto-test of ${options.baseUrl}\n\n`)
  const results = await runAutotest(options)
  out(`${formatAutotest(results)}\n`)
  return results.some((r) => r.outcome === "fail") ? 1 : 0
}
