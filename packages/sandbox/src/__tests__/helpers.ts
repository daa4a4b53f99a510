import http from "node:http"
import { AddressInfo } from "node:net"
import { signAuthHeader } from "../../../../src/paysys/auth"
import { PaysysSandboxOptions } from "../options"
import { PaysysSandbox, startPaysysSandbox } from "../server"

/** Test helpers: a sandbox on port 0, a signed JSON-RPC call, a tiny merchant server. */

export type RpcAnswer = {
  httpStatus: number
  body: {
    id: unknown
    // null on success, else {code, message}; typed loosely for the assertions
    error: any
    result: any
    mx_id: string
  }
  raw: string
}

export type TestSandbox = PaysysSandbox & {
  rpc(
    method: string,
    params: unknown,
    init?: { auth?: string | null; headers?: Record<string, string>; id?: unknown; signal?: AbortSignal }
  ): Promise<RpcAnswer>
  control(path: string, init?: { method?: string; body?: unknown }): Promise<{ status: number; body: any }>
}

export async function startTestSandbox(options: PaysysSandboxOptions = {}): Promise<TestSandbox> {
  const sandbox = await startPaysysSandbox({ port: 0, ...options })
  const rpc: TestSandbox["rpc"] = async (method, params, init = {}) => {
    const headers: Record<string, string> = { "Content-Type": "application/json", ...(init.headers ?? {}) }
    const auth =
      init.auth === undefined ? signAuthHeader(sandbox.credentials.serviceId, sandbox.credentials.secretKey) : init.auth
    if (auth !== null) {
      headers.Auth = auth
    }
    const response = await fetch(sandbox.gatewayUrl, {
      method: "POST",
      headers,
      body: JSON.stringify({ method, params, id: init.id === undefined ? "req-1" : init.id }),
      signal: init.signal,
    })
    const raw = await response.text()
    return { httpStatus: response.status, body: JSON.parse(raw), raw }
  }
  const control: TestSandbox["control"] = async (path, init = {}) => {
    const response = await fetch(`${sandbox.url}/__sandbox${path}`, {
      method: init.method ?? (init.body === undefined ? "GET" : "POST"),
      headers: init.body === undefined ? {} : { "Content-Type": "application/json" },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    })
    return { status: response.status, body: await response.json() }
  }
  return Object.assign(sandbox, { rpc, control })
}

let counter = 0
export function uniqueId(prefix = "order"): string {
  counter += 1
  return `${prefix}-${Date.now()}-${counter}`
}

/** The documented prepare_payment request, with a Luhn-valid test card (the documented one is not). */
export function preparePaymentRequest(overrides: Record<string, string> = {}) {
  return {
    card_holder_name: "CARDHOLDER NAME",
    card_number: "4111111111111111",
    card_expire: "2702",
    card_cvc: "067",
    amount: "1139000",
    currency: "uzs",
    vendor_id: "100381",
    partner_trans_id: uniqueId(),
    client_ip_addr: "192.4.59.3",
    description: "Month subscription",
    ...overrides,
  }
}

/** A card expiry (YYMM) some years ahead of now, so tests keep passing. */
export function futureExpiry(yearsAhead = 3, slash = false): string {
  const yy = String((new Date().getUTCFullYear() + yearsAhead) % 100).padStart(2, "0")
  return slash ? `${yy}/06` : `${yy}06`
}

export async function openThreeDs(confirmUrl: string): Promise<{ status: number; html: string }> {
  const response = await fetch(confirmUrl)
  return { status: response.status, html: await response.text() }
}

/** Submits the 3-D Secure form as a browser without JavaScript would. */
export async function submitThreeDs(
  confirmUrl: string,
  form: { code?: string; action?: "confirm" | "cancel" }
): Promise<{ status: number; location: string | null; html: string }> {
  const body = new URLSearchParams()
  if (form.code !== undefined) {
    body.set("code", form.code)
  }
  body.set("action", form.action ?? "confirm")
  const response = await fetch(confirmUrl, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: body.toString(),
    redirect: "manual",
  })
  return { status: response.status, location: response.headers.get("location"), html: await response.text() }
}

/** prepare_payment, then the 3-D Secure page with the right code: a completed payment. */
export async function payWithThreeDs(sandbox: TestSandbox, overrides: Record<string, string> = {}) {
  const request = preparePaymentRequest(overrides)
  const prepared = await sandbox.rpc("paysys.prepare_payment", request)
  if (prepared.body.error) {
    throw new Error(`prepare_payment failed: ${prepared.body.error.message}`)
  }
  await openThreeDs(prepared.body.result.confirm_url)
  const submitted = await submitThreeDs(prepared.body.result.confirm_url, { code: "123456" })
  return { request, prepared, submitted, partnerTransId: request.partner_trans_id }
}

export type MerchantRequest = {
  method: string
  url: string
  headers: http.IncomingHttpHeaders
  body: any
  raw: string
  at: number
}

export type Merchant = {
  url: string
  requests: MerchantRequest[]
  /** what to answer; default 200 {"error": null} */
  respondWith: { status: number; body: string }
  waitFor(count: number, timeoutMs?: number): Promise<MerchantRequest[]>
  close(): Promise<void>
}

/** A tiny merchant: records every callback and answers {"error": null}. */
export async function startMerchant(): Promise<Merchant> {
  const requests: MerchantRequest[] = []
  const waiters: Array<() => void> = []
  const merchant = {
    requests,
    respondWith: { status: 200, body: JSON.stringify({ error: null }) },
  } as Merchant
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on("data", (c: Buffer) => chunks.push(c))
    request.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8")
      let body: unknown = null
      try {
        body = JSON.parse(raw)
      } catch {
        body = null
      }
      requests.push({
        method: request.method ?? "",
        url: request.url ?? "",
        headers: request.headers,
        body,
        raw,
        at: Date.now(),
      })
      waiters.splice(0).forEach((wake) => wake())
      response.writeHead(merchant.respondWith.status, { "Content-Type": "application/json" })
      response.end(merchant.respondWith.body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  merchant.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/paysys`
  merchant.waitFor = async (count, timeoutMs = 5000) => {
    const deadline = Date.now() + timeoutMs
    while (requests.length < count) {
      const left = deadline - Date.now()
      if (left <= 0) {
        throw new Error(`merchant got ${requests.length} callbacks, expected ${count}`)
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
    return requests.slice(0, count)
  }
  merchant.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    })
  return merchant
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
