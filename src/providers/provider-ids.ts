/*
 * The providers' identifiers, and the ids Medusa makes of them: pp_<identifier>_<the id given in
 * medusa-config>. Every test of "is this PaySys's payment?" reads these.
 */
export const CARD_PROVIDER_IDENTIFIER = "paysys"
export const FORM_PROVIDER_IDENTIFIER = "paysys-form"

export const CARD_PROVIDER_PREFIX = `pp_${CARD_PROVIDER_IDENTIFIER}_` as const
export const FORM_PROVIDER_PREFIX = `pp_${FORM_PROVIDER_IDENTIFIER}_` as const

export const isCardProviderId = (providerId: string) => providerId.startsWith(CARD_PROVIDER_PREFIX)
export const isFormProviderId = (providerId: string) => providerId.startsWith(FORM_PROVIDER_PREFIX)
export const isPaysysProviderId = (providerId: string) => isCardProviderId(providerId) || isFormProviderId(providerId)
