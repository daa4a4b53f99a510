import { model } from "@medusajs/framework/utils"

/**
 * A card a customer saved through mir.card_registration. The token PaySys returns is kept
 * encrypted (AES-256-GCM) and never leaves the server; the PAN only masked.
 */
const PaysysSavedCard = model
  .define("paysys_saved_card", {
    id: model.id({ prefix: "pscard" }).primaryKey(),
    /** PaySys's card id */
    card_id: model.text(),
    customer_id: model.text(),
    status: model.enum(["pending", "active", "failed", "removed"]).default("pending"),
    masked_pan: model.text(),
    brand: model.text().nullable(),
    /** MM/YY, for the shopper to recognise the card */
    expiry: model.text().nullable(),
    token_encrypted: model.text().nullable(),
    error_code: model.number().nullable(),
    error_message: model.text().nullable(),
    activated_at: model.dateTime().nullable(),
  })
  .indexes([
    { name: "IDX_paysys_saved_card_card_id", on: ["card_id"], unique: true },
    { name: "IDX_paysys_saved_card_customer_id", on: ["customer_id"] },
  ])

export default PaysysSavedCard
