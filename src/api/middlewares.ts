import {
  authenticate,
  defineMiddlewares,
  MedusaNextFunction,
  MedusaRequest,
  MedusaResponse,
  validateAndTransformBody,
  validateAndTransformQuery,
} from "@medusajs/framework/http"
import { PAYSYS_MODULE, PaysysModuleService } from "../modules/paysys"
import { cardGatewayNotConfigured } from "../modules/paysys/options"
import { cardRegistrationNotification, isNotificationAuthValid, transactionStatusNotification } from "../paysys"
import {
  AdminAcknowledgePaysysContradiction,
  AdminGetPaysysNeedsYou,
  AdminGetPaysysPayments,
  AdminRecordPaysysRefund,
  AdminResolvePaysysAttempt,
  AdminSettlePaysysRefund,
} from "./admin/paysys/validators"
import { StoreSaveCard, StoreSubmitCardPayment } from "./store/paysys/validators"
import { limitSavedCardPayments } from "./utils/card-velocity"
import { clientIp } from "./utils/client-ip"
import { isAllowedRedirectUrl } from "../providers/paysys/redirect-url"
import { describeZodIssues } from "./utils/describe-zod-issues"
import { requireSavedCardOwner } from "./utils/saved-card-completion"
import { isCardProviderId, isFormProviderId } from "../providers/provider-ids"

/**
 * Medusa stores a new session's `data` exactly as the storefront sends it, before any
 * provider sees it. A PaySys session takes only `saved_card_id` (a card saved earlier);
 * anything else is refused, so a card sent there by mistake never lands in the database.
 * The shopper's IP is added for pay_by_id's client_ip_addr.
 */
function guardPaysysSessionData(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
  const body = (req.body ?? {}) as { provider_id?: unknown; data?: Record<string, unknown> }
  if (typeof body.provider_id === "string" && isFormProviderId(body.provider_id)) {
    return guardFormSessionData(req, res, next)
  }
  if (typeof body.provider_id !== "string" || !isCardProviderId(body.provider_id)) {
    return next()
  }
  const data = body.data && typeof body.data === "object" ? body.data : {}
  const refused = Object.keys(data).find((key) => key !== "saved_card_id")
  if (refused || (data.saved_card_id !== undefined && !/^pscard_\w+$/.test(String(data.saved_card_id)))) {
    res.status(400).json({
      type: "invalid_data",
      message: refused
        ? `data.${refused}: a PaySys payment session takes no data but saved_card_id; post a card to /store/paysys/payment-sessions/:id/card`
        : "data.saved_card_id: must be the id of a saved card (pscard_...)",
    })
    return
  }
  body.data = { ...data, client_ip: clientIp(req) }
  next()
}

/**
 * A hosted-form session takes only `return_url`: where PaySys's "back to the site" link goes.
 * It is not signed (the shopper can change it on the way), so it may only lead to the store's
 * own origins (the form's returnOrigins, else STORE_CORS), like the card's redirect_url.
 */
function guardFormSessionData(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
  const body = req.body as { data?: Record<string, unknown> }
  const data = body.data && typeof body.data === "object" ? body.data : {}
  const refused = Object.keys(data).find((key) => key !== "return_url")
  const refuse = (message: string) => res.status(400).json({ type: "invalid_data", message })
  if (refused) {
    return refuse(`data.${refused}: a PaySys form session takes no data but return_url`)
  }
  if (data.return_url !== undefined) {
    const url = typeof data.return_url === "string" && URL.canParse(data.return_url) ? new URL(data.return_url) : null
    const options = req.scope.resolve<PaysysModuleService>(PAYSYS_MODULE).formOptions
    const storeCors = req.scope.resolve("configModule").projectConfig.http.storeCors
    if (
      !url ||
      !/^https?:$/.test(url.protocol) ||
      !isAllowedRedirectUrl(url.toString(), options?.returnOrigins ?? [], storeCors)
    ) {
      return refuse("data.return_url: must be an http(s) URL on one of the store's origins")
    }
  }
  next()
}

/**
 * PaySys signs its callbacks with Basic credentials only: a wrong or missing one changes nothing.
 * A store without the card gateway has no such callbacks.
 */
function requirePaysysBasicAuth(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
  const card = req.scope.resolve<PaysysModuleService>(PAYSYS_MODULE).cardOptions
  if (!card) {
    res.status(404).json({ type: "not_found", message: cardGatewayNotConfigured().message })
    return
  }
  const { vendorMethod, vendorSecretKey } = card
  if (!isNotificationAuthValid(req.headers.authorization, vendorMethod, vendorSecretKey)) {
    res
      .status(401)
      .json({ type: "unauthorized", message: "Authorization: Basic credentials of PaySys notifications expected" })
    return
  }
  next()
}

/**
 * Both callbacks come to one URL: partner.notify is JSON-RPC, the status notification is not.
 * Parsed here rather than with validateAndTransformBody, which refuses unknown fields: a
 * field PaySys adds one day must not make us lose its notifications.
 */
function validatePaysysCallback(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
  const body = req.body as { method?: unknown } | undefined
  const schema = body?.method === "partner.notify" ? cardRegistrationNotification : transactionStatusNotification
  const parsed = schema.safeParse(body)
  if (!parsed.success) {
    res.status(400).json({ type: "invalid_data", message: describeZodIssues(parsed.error) })
    return
  }
  req.validatedBody = parsed.data
  next()
}

export default defineMiddlewares({
  routes: [
    {
      method: ["POST"],
      matcher: "/store/payment-collections/:id/payment-sessions",
      middlewares: [guardPaysysSessionData],
    },
    {
      method: ["POST"],
      matcher: "/store/carts/:id/complete",
      middlewares: [
        authenticate("customer", ["session", "bearer"], { allowUnauthenticated: true }),
        requireSavedCardOwner,
        limitSavedCardPayments,
      ],
    },
    {
      method: ["POST"],
      matcher: "/store/paysys/payment-sessions/:id/card",
      middlewares: [validateAndTransformBody(StoreSubmitCardPayment)],
    },
    {
      matcher: "/store/paysys/cards*",
      middlewares: [authenticate("customer", ["session", "bearer"])],
    },
    {
      method: ["POST"],
      matcher: "/store/paysys/cards",
      middlewares: [validateAndTransformBody(StoreSaveCard)],
    },
    {
      method: ["POST"],
      matcher: "/admin/paysys/orders/:id/paysys-refunds",
      middlewares: [validateAndTransformBody(AdminRecordPaysysRefund)],
    },
    {
      method: ["POST"],
      matcher: "/admin/paysys/orders/:id/paysys-refunds/:refund_id/outcome",
      middlewares: [validateAndTransformBody(AdminSettlePaysysRefund)],
    },
    {
      method: ["GET"],
      matcher: "/admin/paysys/needs-you",
      middlewares: [validateAndTransformQuery(AdminGetPaysysNeedsYou, { isList: true, defaults: [] })],
    },
    {
      method: ["GET"],
      matcher: "/admin/paysys/payments*",
      middlewares: [validateAndTransformQuery(AdminGetPaysysPayments, { isList: true, defaults: [] })],
    },
    {
      method: ["POST"],
      matcher: "/admin/paysys/needs-you/attempts/:partner_trans_id/resolve",
      middlewares: [validateAndTransformBody(AdminResolvePaysysAttempt)],
    },
    {
      method: ["POST"],
      matcher: "/admin/paysys/needs-you/refunds/:refund_id/outcome",
      middlewares: [validateAndTransformBody(AdminSettlePaysysRefund)],
    },
    {
      method: ["POST"],
      matcher: "/admin/paysys/needs-you/attempts/:partner_trans_id/acknowledge-contradiction",
      middlewares: [validateAndTransformBody(AdminAcknowledgePaysysContradiction)],
    },
    {
      method: ["POST"],
      matcher: "/hooks/paysys",
      middlewares: [requirePaysysBasicAuth, validatePaysysCallback],
    },
    {
      // read raw by the route: a body that is not JSON must get the protocol's -8
      method: ["POST"],
      matcher: "/hooks/paysys-form/*",
      bodyParser: false,
    },
  ],
})
