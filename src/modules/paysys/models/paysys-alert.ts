import { model } from "@medusajs/framework/utils"

/**
 * An alert sent to the merchant (Medusa's Notification Module) about an item of "Needs you",
 * keyed by the item: written before it is sent, so no retry and no other server sends it twice.
 */
const PaysysAlert = model
  .define("paysys_alert", {
    id: model.id({ prefix: "psalert" }).primaryKey(),
    /** the "Needs you" item: `<kind>:<id>` (see NeedsYou) */
    item_key: model.text(),
    kind: model.text(),
    /** set once Medusa's Notification Module took it */
    sent_at: model.dateTime().nullable(),
  })
  .indexes([{ name: "IDX_paysys_alert_item_key", on: ["item_key"], unique: true }])

export default PaysysAlert
