import { z } from "zod"
import { MedusaError } from "@medusajs/framework/utils"
import { PaysysOptions, paysysOptionsSchema, parseOptionsOf } from "./card-options"
import { PaysysFormOptions, PaysysFormOptionsInput, parsePaysysFormOptions } from "./form-options"

const LABEL = "medusa-payment-paysys"

/**
 * The host-to-host card gateway's credentials. A store on the hosted form only (no PCI DSS)
 * leaves all of them out; a store taking cards gives all of them.
 */
export const CARD_GATEWAY_OPTIONS = ["serviceId", "secretKey", "vendorId", "vendorMethod", "vendorSecretKey"] as const

const moduleOptionsSchema = paysysOptionsSchema.partial({
  serviceId: true,
  secretKey: true,
  vendorId: true,
  vendorMethod: true,
  vendorSecretKey: true,
})

export type PaysysModuleOptionsInput = z.input<typeof moduleOptionsSchema> & { form?: PaysysFormOptionsInput }

/** The plugin's options (its module's), split by what they configure. */
export type PaysysModuleOptions = {
  /** shared: reconciliation pace, notifications, redirects */
  options: z.output<typeof moduleOptionsSchema>
  /** the card gateway's options, complete; null when the store takes no cards host-to-host */
  card: PaysysOptions | null
  /** the hosted form's options (the plugin option `form`); null when the store has no form */
  form: PaysysFormOptions | null
}

/**
 * Parses the plugin's options at boot. The card gateway's credentials are optional as a group:
 * some of them without the others names each one missing; none of them and no `form` either
 * names both ways to connect.
 */
export function parsePaysysModuleOptions(input: unknown): PaysysModuleOptions {
  const raw = (input ?? {}) as Record<string, unknown>
  const options = parseOptionsOf(moduleOptionsSchema, raw, LABEL)
  const given = CARD_GATEWAY_OPTIONS.filter((name) => raw[name] !== undefined)
  const form = raw.form === undefined ? null : parsePaysysFormOptions(raw.form)
  if (given.length && given.length < CARD_GATEWAY_OPTIONS.length) {
    const missing = CARD_GATEWAY_OPTIONS.filter((name) => raw[name] === undefined)
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      `${LABEL}: invalid options: the card gateway is configured (${given.map((name) => `\`${name}\``).join(", ")}) but ${missing
        .map((name) => `\`${name}\``)
        .join(
          ", "
        )} ${missing.length > 1 ? "are" : "is"} missing; a store on the hosted form only sets none of ${CARD_GATEWAY_OPTIONS.join(", ")}`
    )
  }
  if (!given.length && !form) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      `${LABEL}: invalid options: configure the card gateway (${CARD_GATEWAY_OPTIONS.map((name) => `\`${name}\``).join(", ")}), the hosted form (\`form\`), or both`
    )
  }
  return { options, card: given.length ? paysysOptionsSchema.parse(raw) : null, form }
}

/** The error of a card operation in a store whose plugin options have no card gateway. */
export function cardGatewayNotConfigured(): MedusaError {
  return new MedusaError(
    MedusaError.Types.NOT_ALLOWED,
    `PaySys's card gateway is not configured: the plugin's options need ${CARD_GATEWAY_OPTIONS.map((name) => `\`${name}\``).join(", ")} (the card provider pp_paysys_paysys takes the same)`
  )
}
