import BigNumber from "bignumber.js"
import { PAYSYS_CURRENCIES } from "../paysys/currencies"
import { PaysysValidationError } from "../paysys/errors"
import {
  DEFAULT_AMOUNT_LIMITS,
  DEFAULT_ROUNDING_MODE,
  FORM_CURRENCY_NAMES,
  FormAmountLimits,
  FormCurrency,
  FormRoundingMode,
} from "./assumptions"

/*
 * The form's MERCHANT_TRANS_AMOUNT is an integer of major units (whole sum, whole dollars), while the plugin keeps minor units (tiyin, cents), like the
 * host-to-host API. These two functions are the only crossing.
 */

export function isFormCurrency(code: string): code is FormCurrency {
  return Object.prototype.hasOwnProperty.call(FORM_CURRENCY_NAMES, code.toLowerCase())
}

/** Medusa's currency code -> the form's MERCHANT_CURRENCY ("uzs" -> "sum"); refuses others naming the field. */
export function toFormCurrency(code: string): { currency: FormCurrency; name: string } {
  const lower = code.toLowerCase()
  if (!isFormCurrency(lower)) {
    throw new PaysysValidationError(
      "currency",
      `the PaySys form does not take currency "${code}"; it takes ${Object.keys(FORM_CURRENCY_NAMES).join(", ")}`
    )
  }
  return { currency: lower, name: FORM_CURRENCY_NAMES[lower] }
}

export type FormAmountOptions = { roundingMode?: FormRoundingMode; amountLimits?: FormAmountLimits }

/**
 * Minor units -> the form's integer amount ("15000000" uzs -> "150000"). A fraction of a major
 * unit is refused (roundingMode "reject", the default) or rounded half up; limits, when set, apply.
 */
export function toFormAmount(minor: BigNumber.Value, currencyCode: string, options: FormAmountOptions = {}): string {
  const { currency } = toFormCurrency(currencyCode)
  const value = new BigNumber(minor)
  if (!value.isFinite() || value.isNegative() || !value.isInteger() || value.isZero()) {
    throw new PaysysValidationError(
      "amount",
      `amount must be a positive whole number of minor units, got "${String(minor)}"`
    )
  }
  const major = value.dividedBy(PAYSYS_CURRENCIES[currency].minorPerMajor)
  const mode = options.roundingMode ?? DEFAULT_ROUNDING_MODE
  if (!major.isInteger() && mode === "reject") {
    throw new PaysysValidationError(
      "amount",
      `the PaySys form takes whole ${currency.toUpperCase()} only; ${major.toFixed()} ${currency.toUpperCase()} has a fraction`
    )
  }
  const whole = major.integerValue(BigNumber.ROUND_HALF_UP)
  const limits = (options.amountLimits ?? DEFAULT_AMOUNT_LIMITS)[currency]
  if (limits?.min !== undefined && whole.isLessThan(limits.min)) {
    throw new PaysysValidationError("amount", `the PaySys form takes at least ${limits.min} ${currency.toUpperCase()}`)
  }
  if (limits?.max !== undefined && whole.isGreaterThan(limits.max)) {
    throw new PaysysValidationError("amount", `the PaySys form takes at most ${limits.max} ${currency.toUpperCase()}`)
  }
  if (whole.isZero()) {
    throw new PaysysValidationError("amount", `the amount rounds to 0 ${currency.toUpperCase()}`)
  }
  return whole.toFixed(0)
}

/** The form's integer amount -> minor units ("150000" sum -> "15000000"). */
export function fromFormAmount(formAmount: BigNumber.Value, currencyCode: string): string {
  const { currency } = toFormCurrency(currencyCode)
  return new BigNumber(formAmount).times(PAYSYS_CURRENCIES[currency].minorPerMajor).toFixed(0)
}
