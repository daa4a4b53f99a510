import { defineMiddlewares, MedusaNextFunction, MedusaRequest, MedusaResponse, validateAndTransformBody } from "@medusajs/framework/http"
import { PAYSYS_MODULE, PaysysModuleService } from "../modules/paysys"
import { cardRegistrationNotification, isNotificationAuthValid, transactionStatusNotification } from "../paysys"
import { StoreSubmitCardPayment } from "./store/paysys/validators"
import { describeZodIssues } from "./utils/describe-zod-issues"

/**
 * Medusa stores a new session's `data` exactly as the storefront sends it, before any
 * provider sees it. A PaySys session needs none, so refuse any: a card sent there by
 * mistake would otherwise land in the database.
 */
function refuseDataOnPaysysSessions(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
  const body = (req.body ?? {}) as { provider_id?: unknown; data?: unknown }
  const data = body.data && typeof body.data === "object" ? Object.keys(body.data) : []
  if (typeof body.provider_id === "string" && body.provider_id.startsWith("pp_paysys_") && data.length) {
    res.status(400).json({
      type: "invalid_data",
      message: `data.${data[0]}: a PaySys payment session takes no data; post the card to /store/paysys/payment-sessions/:id/card`,
    })
    return
  }
  next()
}

/** PaySys signs its callbacks with Basic credentials only: a wrong or missing one changes nothing. */
function requirePaysysBasicAuth(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
  const { vendorMethod, vendorSecretKey } = req.scope.resolve<PaysysModuleService>(PAYSYS_MODULE).options
  if (!isNotificationAuthValid(req.headers.authorization, vendorMethod, vendorSecretKey)) {
    res.status(401).json({ type: "unauthorized", message: "Authorization: Basic credentials of PaySys notifications expected" })
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
      middlewares: [refuseDataOnPaysysSessions],
    },
    {
      method: ["POST"],
      matcher: "/store/paysys/payment-sessions/:id/card",
      middlewares: [validateAndTransformBody(StoreSubmitCardPayment)],
    },
    {
      method: ["POST"],
      matcher: "/hooks/paysys",
      middlewares: [requirePaysysBasicAuth, validatePaysysCallback],
    },
  ],
})
