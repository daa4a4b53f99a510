import { model } from "@medusajs/framework/utils"

/**
 * A SIGN_STRING of the hosted form's callbacks, recorded when it was first accepted, with the
 * callback and the signed fields it came with. The signatures are md5 over the fields' digits
 * run together, so one signature also fits another callback or another split of its digits:
 * it is accepted again only for the very same call (PaySys repeats calls), never for another.
 * Shared by every server through the unique index on sign_string.
 */
const PaysysFormSignature = model
  .define("paysys_form_signature", {
    id: model.id({ prefix: "psfsig" }).primaryKey(),
    /** info, pay, notify, cancel, statement, fiscalization */
    callback: model.text(),
    /** lowercase hex */
    sign_string: model.text(),
    /** the signed fields' text, by name, as the signature covered them */
    fields: model.json(),
  })
  .indexes([{ name: "IDX_paysys_form_signature_sign_string", on: ["sign_string"], unique: true }])

export default PaysysFormSignature
