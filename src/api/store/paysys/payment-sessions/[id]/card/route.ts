import { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { PaysysError } from "../../../../../../paysys"
import { PAYSYS_MODULE, PaysysModuleService } from "../../../../../../modules/paysys"
import { PaymentKeys } from "../../../../../../modules/paysys/card-velocity"
import { submitCardPayment } from "../../../../../utils/submit-card-payment"
import { admitted, paymentKeysOfSession } from "../../../../../utils/card-velocity"
import { clientIp } from "../../../../../utils/client-ip"
import { withPaysysErrors } from "../../../../../utils/paysys-errors"
import { StoreSubmitCardPaymentType } from "../../../validators"

/**
 * POST /store/paysys/payment-sessions/:id/card
 * Takes the shopper's card for a PaySys payment session, starts the payment at PaySys
 * and answers with the 3-D Secure page to send the shopper to. Card-testing defences first:
 * a post over a velocity limit, or without a good CAPTCHA token after repeated declines, is
 * refused before anything is written or sent.
 */
export const POST = async (req: MedusaRequest<StoreSubmitCardPaymentType>, res: MedusaResponse) => {
  const { redirect_url, captcha_token, ...card } = req.validatedBody
  const ip = clientIp(req)
  const paysys = req.scope.resolve<PaysysModuleService>(PAYSYS_MODULE)
  const velocity = paysys.cardVelocity()
  let keys: PaymentKeys | null = null
  if (velocity) {
    const known = { ip, session: req.params.id, card: paysys.cardFingerprint(card.card_number) }
    const counted = await admitted(res, async () => {
      keys = await velocity.admitPayment(known, paymentKeysOfSession(req, req.params.id), captcha_token)
    })
    if (!counted) {
      return
    }
  }
  await withPaysysErrors(
    req,
    res,
    "start the card payment",
    async () => {
      const { payment_session, confirm_url } = await submitCardPayment(req.scope, {
        paymentSessionId: req.params.id,
        card,
        clientIp: ip,
        redirectUrl: redirect_url,
      }).catch(async (error) => {
        if (velocity && keys && error instanceof PaysysError) {
          await velocity.recordDecline(keys)
        }
        throw error
      })
      const { id, status, amount, currency_code, data } = payment_session
      res.json({ payment_session: { id, status, amount, currency_code, data }, confirm_url })
    },
    { cardDeclines: true }
  )
}
