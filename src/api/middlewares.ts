import { defineMiddlewares, MedusaNextFunction, MedusaRequest, MedusaResponse, validateAndTransformBody } from "@medusajs/framework/http"
import { StoreSubmitCardPayment } from "./store/paysys/validators"

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
  ],
})
