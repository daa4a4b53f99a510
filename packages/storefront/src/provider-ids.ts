import {
  CARD_PROVIDER_IDENTIFIER,
  CARD_PROVIDER_PREFIX,
  FORM_PROVIDER_IDENTIFIER,
  FORM_PROVIDER_PREFIX,
} from "../../../src/providers/provider-ids"

/*
 * The providers' ids in Medusa ("pp_" + identifier + "_" + the id given in medusa-config), as the
 * plugin's README registers them; a store that registered other ids passes `providerId`.
 */
export const PAYSYS_PROVIDER_ID = `${CARD_PROVIDER_PREFIX}${CARD_PROVIDER_IDENTIFIER}`
export const PAYSYS_FORM_PROVIDER_ID = `${FORM_PROVIDER_PREFIX}${FORM_PROVIDER_IDENTIFIER}`

export { isPaysysProviderId } from "../../../src/providers/provider-ids"
