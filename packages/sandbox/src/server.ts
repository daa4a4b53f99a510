import http from "node:http"
import { AddressInfo } from "node:net"
import { CallLog } from "./call-log"
import { notificationAuthHeader } from "../../../src/paysys/notifications"
import { cardNotifyBody, statusNotificationBody } from "./callback-bodies"
import { SandboxClock } from "./clock"
import { handleControl } from "./control-api"
import { ControlDeps, RuntimeConfig } from "./control-route"
import { FaultRegistry } from "./faults"
import { FORM_TEST_CARDS } from "./form-cards"
import { FormMerchantApi, merchantApiUrl } from "./form-merchant-api"
import { handleForm, handleStatusApi } from "./form-routes"
import { FormPayments } from "./form-state"
import { handleGateway } from "./gateway"
import { RequestRateLimit } from "./rate-limit"
import { sendHtml, sendJson } from "./http-utils"
import { renderIndexPage } from "./index-page"
import { GATEWAY_METHODS } from "./methods"
import { FORM_CALLBACK_KINDS, FormCallbackKind, Notifier } from "./notifier"
import { defaultPublicUrl, parseSandboxOptions, PaysysSandboxOptions } from "./options"
import { isNotifiedStatus, SandboxState } from "./state"
import { TEST_CARDS } from "./test-cards"
import { handleThreeDs } from "./three-ds-routes"

/*
 * The PaySys sandbox: one node:http server with
 *   POST /gateway            the PaySys API (gateway.ts)
 *   GET|POST /3ds/...        the 3-D Secure pages (three-ds-routes.ts)
 *   GET|POST /form[/...]     the hosted payment form (form-routes.ts)
 *   POST /pay_api/payment_status  the form's status API (form-routes.ts)
 *   /__sandbox/...           the control API (control-api.ts)
 *   GET /                    an index page
 */

/** Where the form's status API answers (PaySys's is https://agr.uz/pay_api/payment_status). */
const STATUS_API_PATH = "/pay_api/payment_status"

export type PaysysSandbox = {
  /** public base URL (options.publicUrl, or http://host:port) */
  url: string
  /** `${url}/gateway`: give it to the PaySys client as gatewayUrl */
  gatewayUrl: string
  /** `${url}/form`: the payment form's URL (PaySys's https://agr.uz/sandbox) */
  formUrl: string
  /** `${url}/pay_api/payment_status`: the form's status API */
  statusUrl: string
  /** the port actually listened on (useful with port 0) */
  port: number
  /** http://host:port actually listened on */
  localUrl: string
  credentials: {
    serviceId: string
    secretKey: string
    vendorId: string
    vendorMethod: string
    vendorSecretKey: string
    threeDsCode: string
    formVendorId: string
    formSecretKey: string
  }
  /** stops listening, drops open connections (including the ones a timeout fault keeps), stops callbacks */
  close(): Promise<void>
}

export type { PaysysSandboxOptions } from "./options"

export async function startPaysysSandbox(input: PaysysSandboxOptions = {}): Promise<PaysysSandbox> {
  const options = parseSandboxOptions(input)
  const logger = options.logger
  let publicUrl = "" // known once listening when port is 0

  const runtime: RuntimeConfig = {
    notifyUrl: options.notifyUrl ?? null,
    cardNotifyUrl: options.cardNotifyUrl ?? options.notifyUrl ?? null,
    merchantApiUrl: options.merchantApiUrl ?? null,
  }
  const clock = new SandboxClock()
  // the docs show Basic credentials on the status notification only; we assume PaySys's
  // cabinet uses the same ones for partner.notify (see README, "Assumptions")
  const basic = { Authorization: notificationAuthHeader(options.vendorMethod, options.vendorSecretKey) }
  const formTarget = (kind: FormCallbackKind) => ({
    url: () => merchantApiUrl(runtime.merchantApiUrl, kind),
    urlOption: "merchantApiUrl",
  })
  const notifier = new Notifier({
    targets: {
      status: { url: () => runtime.notifyUrl, urlOption: "notifyUrl", headers: basic },
      card: { url: () => runtime.cardNotifyUrl, urlOption: "cardNotifyUrl", headers: basic },
      // the form's calls are authenticated by their SIGN_STRING only (DEFAULT_CALLBACK_IP_ALLOW_LIST)
      ...(Object.fromEntries(FORM_CALLBACK_KINDS.map((kind) => [kind, formTarget(kind)])) as Record<
        FormCallbackKind,
        ReturnType<typeof formTarget>
      >),
    },
    timeoutMs: options.notifyTimeoutMs,
    logger,
  })
  const state = new SandboxState(
    { vendorId: options.vendorId, threeDsCode: options.threeDsCode, publicUrl: () => publicUrl },
    clock,
    {
      onPaymentStatus: (transaction, amount) => {
        if (isNotifiedStatus(transaction.status)) {
          notifier.enqueue("status", statusNotificationBody(transaction, amount), {
            partnerTransId: transaction.partnerTransId,
          })
        }
      },
      onCardRegistration: (card) => {
        notifier.enqueue("card", cardNotifyBody(card), { cardId: card.cardId })
      },
    }
  )
  const faults = new FaultRegistry()
  const calls = new CallLog()
  const rateLimit = options.requestsPerMinute ? new RequestRateLimit(options.requestsPerMinute) : null
  const formUrl = () => `${publicUrl}/form`
  const statusUrl = () => `${publicUrl}${STATUS_API_PATH}`
  const formCredentials = { vendorId: options.formVendorId, secretKey: options.formSecretKey }
  const formPayments = new FormPayments(clock)
  const formMerchantApi = new FormMerchantApi({
    payments: formPayments,
    notifier,
    faults,
    credentials: formCredentials,
    logger,
  })

  const describe = () => ({
    name: "PaySys sandbox",
    gateway_url: `${publicUrl}/gateway`,
    credentials: {
      service_id: options.serviceId,
      secret_key: options.secretKey,
      vendor_id: options.vendorId,
      vendor_method: options.vendorMethod,
      vendor_secret_key: options.vendorSecretKey,
    },
    three_ds_code: options.threeDsCode,
    notify_url: runtime.notifyUrl,
    card_notify_url: runtime.cardNotifyUrl,
    methods: GATEWAY_METHODS,
    test_cards: TEST_CARDS,
    form: {
      form_url: formUrl(),
      status_url: statusUrl(),
      vendor_id: options.formVendorId,
      secret_key: options.formSecretKey,
      sms_code: options.threeDsCode,
      merchant_api_url: runtime.merchantApiUrl,
      test_cards: FORM_TEST_CARDS,
    },
    control_routes: [
      "GET /__sandbox",
      "GET|POST /__sandbox/config",
      "GET /__sandbox/transactions",
      "GET /__sandbox/transactions/:partner_trans_id",
      "GET /__sandbox/cards",
      "GET /__sandbox/cards/:card_id",
      "GET /__sandbox/calls",
      "POST /__sandbox/calls/reset",
      "GET|POST|DELETE /__sandbox/faults",
      "GET|POST /__sandbox/callbacks",
      "POST /__sandbox/callbacks/flush",
      "GET /__sandbox/notifications",
      "POST /__sandbox/notify",
      "GET|POST /__sandbox/clock",
      "POST /__sandbox/reset",
      "GET /__sandbox/form/payments",
      "GET /__sandbox/form/payments/:form_id_or_agr_trans_id",
      "POST /__sandbox/form/cancel",
      "POST /__sandbox/form/notify",
      "POST /__sandbox/form/info",
      "POST /__sandbox/form/statement",
      "POST /__sandbox/form/fiscalization",
    ],
  })

  const control: ControlDeps = {
    state,
    notifier,
    faults,
    calls,
    rateLimit,
    formPayments,
    formMerchantApi,
    runtime,
    maxBodyBytes: options.maxBodyBytes,
    describe,
  }
  const gatewayDeps = {
    state,
    faults,
    calls,
    auth: { serviceId: options.serviceId, secretKey: options.secretKey, toleranceMs: options.authToleranceMs },
    maxBodyBytes: options.maxBodyBytes,
    rateLimit,
    logger,
  }
  const threeDsDeps = {
    state,
    threeDsCode: options.threeDsCode,
    merchantName: `Sandbox merchant (vendor ${options.vendorId})`,
    maxBodyBytes: options.maxBodyBytes,
    logger,
  }

  const formDeps = {
    payments: formPayments,
    merchantApi: formMerchantApi,
    calls,
    credentials: formCredentials,
    smsCode: options.threeDsCode,
    maxBodyBytes: options.maxBodyBytes,
    faults,
    logger,
  }

  const route = async (request: http.IncomingMessage, response: http.ServerResponse) => {
    const url = new URL(request.url ?? "/", "http://sandbox.invalid")
    const path = url.pathname
    if (path === "/gateway" || path === "/gateway/") {
      return handleGateway(request, response, gatewayDeps)
    }
    const threeDs = /^\/3ds\/(payment|card)\/([^/]+)\/?$/.exec(path)
    if (threeDs) {
      return handleThreeDs(
        request,
        response,
        threeDs[1] as "payment" | "card",
        decodeURIComponent(threeDs[2]),
        threeDsDeps
      )
    }
    if (path === "/form" || path.startsWith("/form/")) {
      return handleForm(request, response, url, formDeps)
    }
    if (path === STATUS_API_PATH) {
      return handleStatusApi(request, response, formDeps)
    }
    if (path === "/__sandbox" || path.startsWith("/__sandbox/")) {
      return handleControl(request, response, url, control)
    }
    if (path === "/" && request.method === "GET") {
      return sendHtml(
        response,
        200,
        renderIndexPage({
          gatewayUrl: `${publicUrl}/gateway`,
          serviceId: options.serviceId,
          secretKey: options.secretKey,
          vendorId: options.vendorId,
          threeDsCode: options.threeDsCode,
          notifyUrl: runtime.notifyUrl,
          cardNotifyUrl: runtime.cardNotifyUrl,
          form: {
            formUrl: formUrl(),
            statusUrl: statusUrl(),
            vendorId: options.formVendorId,
            secretKey: options.formSecretKey,
            merchantApiUrl: runtime.merchantApiUrl,
          },
        })
      )
    }
    if (path === "/favicon.ico") {
      response.writeHead(204).end()
      return
    }
    return sendJson(response, 404, {
      error: { message: `nothing at ${request.method} ${path}; the gateway is POST /gateway` },
    })
  }

  const server = http.createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      logger?.info(`sandbox error on ${request.method} ${request.url?.split("?")[0]}: ${(error as Error)?.name}`)
      if (!response.headersSent) {
        sendJson(response, 500, { error: { message: "sandbox internal error" } })
      } else {
        response.destroy()
      }
    })
  })

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off("listening", onListening)
      const hint =
        error.code === "EADDRINUSE" ? ` (port ${options.port} is in use: pick another with the port option)` : ""
      reject(new Error(`PaySys sandbox could not listen on ${options.host}:${options.port}: ${error.message}${hint}`))
    }
    const onListening = () => {
      server.off("error", onError)
      resolve()
    }
    server.once("error", onError)
    server.once("listening", onListening)
    server.listen(options.port, options.host)
  })

  const port = (server.address() as AddressInfo).port
  const localUrl = defaultPublicUrl(options.host, port)
  publicUrl = (options.publicUrl ?? localUrl).replace(/\/+$/, "")

  let closing: Promise<void> | null = null
  const close = () => {
    closing ??= new Promise<void>((resolve) => {
      notifier.close()
      server.close(() => resolve())
      server.closeAllConnections()
    })
    return closing
  }

  return {
    url: publicUrl,
    gatewayUrl: `${publicUrl}/gateway`,
    formUrl: formUrl(),
    statusUrl: statusUrl(),
    port,
    localUrl,
    credentials: {
      serviceId: options.serviceId,
      secretKey: options.secretKey,
      vendorId: options.vendorId,
      vendorMethod: options.vendorMethod,
      vendorSecretKey: options.vendorSecretKey,
      threeDsCode: options.threeDsCode,
      formVendorId: options.formVendorId,
      formSecretKey: options.formSecretKey,
    },
    close,
  }
}
