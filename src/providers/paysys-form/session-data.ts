import { z } from "zod"
import { MedusaError } from "@medusajs/framework/utils"
import { paysysSessionDataSchema } from "../paysys/session-data"

/**
 * `payment_session.data` of a hosted-form session: the card provider's (the ledger attempt it
 * stands for) plus what the storefront posts to PaySys. The signed fields hold no secret.
 */
export const paysysFormSessionDataSchema = paysysSessionDataSchema.extend({
  /** where the shopper's browser posts `form_fields` (POST, full page) */
  form_url: z.string(),
  form_fields: z.record(z.string(), z.string()),
  /** the checked MERCHANT_TRANS_RETURN_URL, if the storefront gave one */
  return_url: z.string().nullish(),
  /** what the form's Pay said (card type), once known */
  payment_name: z.string().nullish(),
  /** with the option useWidget: PaySys's checkout.js widget (unverified), for the storefront to show */
  widget: z.object({ script_url: z.string(), form_url: z.string() }).nullish(),
})

export type PaysysFormSessionData = z.infer<typeof paysysFormSessionDataSchema>

export function readFormSessionData(data: Record<string, unknown> | undefined): PaysysFormSessionData | null {
  const parsed = paysysFormSessionDataSchema.safeParse(data ?? {})
  return parsed.success ? parsed.data : null
}

/** The session's data, or an error when another provider started the payment. */
export function formSessionData(data: Record<string, unknown> | undefined): PaysysFormSessionData {
  const parsed = readFormSessionData(data)
  if (!parsed) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "This payment was not started by the PaySys form provider")
  }
  return parsed
}
