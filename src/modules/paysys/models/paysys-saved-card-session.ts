import { model } from "@medusajs/framework/utils"

/**
 * A payment session that pays with a saved card, as the signed-in customer chose it: for which
 * cart, total and shipping address. Completing the cart charges the card without 3-D Secure, so
 * the completion must come from that customer, for that total and that address; the session's
 * own data is not trusted for it. The address is kept as a digest only.
 */
const PaysysSavedCardSession = model
  .define("paysys_saved_card_session", {
    id: model.id({ prefix: "pscses" }).primaryKey(),
    session_id: model.text(),
    saved_card_id: model.text(),
    customer_id: model.text(),
    cart_id: model.text().nullable(),
    /** minor units */
    amount: model.text(),
    currency: model.text(),
    /** sha256 of the cart's shipping address when the card was chosen (see saved-card-binding) */
    shipping_address_digest: model.text(),
  })
  .indexes([{ name: "IDX_paysys_saved_card_session_session_id", on: ["session_id"], unique: true }])

export default PaysysSavedCardSession
