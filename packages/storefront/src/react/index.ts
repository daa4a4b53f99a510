/*
 * medusa-payment-paysys-storefront/react: the PaySys checkout's pieces as React components
 * (React 18 or later, an optional peer dependency of the kit).
 */
export { BrandIcon } from "./brand-icon"
export { CardForm } from "./card-form"
export type { CardFormProps } from "./card-form"
export { PaysysReturn } from "./paysys-return"
export type { PaysysReturnProps } from "./paysys-return"
export { SavedCardPicker } from "./saved-card-picker"
export type { SavedCardPickerProps } from "./saved-card-picker"
