/*
 * medusa-payment-paysys-storefront: the PaySys checkout for any storefront using
 * @medusajs/js-sdk. Browser code only; React components are in medusa-payment-paysys-storefront/react.
 */
export {
  CARD_PROBLEM_MESSAGES,
  cardBrand,
  cardCvcProblem,
  cardExpiryProblem,
  cardHolderNameProblem,
  cardNumberProblem,
  cardProblems,
  isUzcardOrHumo,
  normalizeCardHolderName,
  normalizeCardNumber,
  passesLuhn,
} from "../../../src/paysys/card-rules"
export { CARD_DECLINED } from "../../../src/paysys/card-declined"
export type {
  CardBrand,
  CardField,
  CardInputFields,
  CardProblem,
  CardProblemCode,
} from "../../../src/paysys/card-rules"
export * from "./checkout"
export * from "./errors"
export * from "./hosted-form"
export * from "./messages"
export { PAYSYS_FORM_PROVIDER_ID, PAYSYS_PROVIDER_ID } from "./provider-ids"
export * from "./saved-cards"
