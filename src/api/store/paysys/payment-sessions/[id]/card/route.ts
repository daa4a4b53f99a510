import { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { submitCardPayment } from "../../../../../../providers/paysys/submit-card-payment"
import { clientIp } from "../../../../../utils/client-ip"
import { withPaysysErrors } from "../../../../../utils/paysys-errors"
import { StoreSubmitCardPaymentType } from "../../../validators"

/**
 * POST /store/paysys/payment-sessions/:id/card
 * Takes the shopper's card for a PaySys payment session, starts the payment at PaySys
 * and answers with the 3-D Secure page to send the shopper to.
 */
export const POST = async (req: MedusaRequest<StoreSubmitCardPaymentType>, res: MedusaResponse) => {
  const { redirect_url, ...card } = req.validatedBody
  await withPaysysErrors(req, res, "start the card payment", async () => {
    const { payment_session, confirm_url } = await submitCardPayment(req.scope, {
      paymentSessionId: req.params.id,
      card,
      clientIp: clientIp(req),
      redirectUrl: redirect_url,
    })
    const { id, status, amount, currency_code, data } = payment_session
    res.json({ payment_session: { id, status, amount, currency_code, data }, confirm_url })
  })
}
