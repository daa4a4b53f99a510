import BigNumber from "bignumber.js"
import { PaysysValidationError } from "./errors"

/**
 * Currencies PaySys accepts, with the per-payment limits from the documentation.
 * Amounts travel in minor units (cents, kopecks; for uzs we assume tiyin, 1/100 sum,
 * which matches the documented "1139000" for a monthly subscription).
 */
export const PAYSYS_CURRENCIES = {
  uzs: { numericCode: 860, minorPerMajor: 100, minMajor: "1000", maxMajor: "75000000" },
  usd: { numericCode: 840, minorPerMajor: 100, minMajor: "1", maxMajor: "5000" },
  eur: { numericCode: 978, minorPerMajor: 100, minMajor: "1", maxMajor: "5000" },
  rub: { numericCode: 643, minorPerMajor: 100, minMajor: "1", maxMajor: null },
} as const

export type PaysysCurrency = keyof typeof PAYSYS_CURRENCIES

export const PAYSYS_CURRENCY_CODES = Object.keys(PAYSYS_CURRENCIES) as PaysysCurrency[]

export function isPaysysCurrency(code: string): code is PaysysCurrency {
  return Object.prototype.hasOwnProperty.call(PAYSYS_CURRENCIES, code.toLowerCase())
}

export function toPaysysCurrency(code: string): PaysysCurrency {
  const lower = code.toLowerCase()
  if (!isPaysysCurrency(lower)) {
    throw new PaysysValidationError(
      "currency",
      `PaySys does not accept currency "${code}"; it takes ${PAYSYS_CURRENCY_CODES.join(", ")}`
    )
  }
  return lower
}

/** ISO 4217 numeric code (as sent in status notifications) to PaySys's currency name. */
export function currencyFromNumericCode(numericCode: number | string): PaysysCurrency | null {
  const code = Number(numericCode)
  const found = PAYSYS_CURRENCY_CODES.find((c) => PAYSYS_CURRENCIES[c].numericCode === code)
  return found ?? null
}

/**
 * Major units (a decimal string, number or bignumber) to PaySys minor units, exactly.
 * A sub-minor remainder (2.675 usd) is rounded half up, as a card terminal would.
 */
export function toMinorUnits(major: BigNumber.Value, currency: PaysysCurrency): string {
  const value = new BigNumber(major)
  if (!value.isFinite() || value.isNegative()) {
    throw new PaysysValidationError("amount", `amount must be a non-negative number, got "${String(major)}"`)
  }
  return value.times(PAYSYS_CURRENCIES[currency].minorPerMajor).integerValue(BigNumber.ROUND_HALF_UP).toFixed(0)
}

/** PaySys minor units back to an exact decimal string of major units ("1139000" uzs -> "11390"). */
export function fromMinorUnits(minor: BigNumber.Value, currency: PaysysCurrency): string {
  return new BigNumber(minor).dividedBy(PAYSYS_CURRENCIES[currency].minorPerMajor).toFixed()
}

/** Throws a PaysysValidationError naming the amount when a payment is outside PaySys's limits. */
export function assertPaymentAmountWithinLimits(minor: string, currency: PaysysCurrency): void {
  const { minMajor, maxMajor } = PAYSYS_CURRENCIES[currency]
  const major = new BigNumber(fromMinorUnits(minor, currency))
  const unit = currency.toUpperCase()
  if (major.isLessThan(minMajor)) {
    throw new PaysysValidationError(
      "amount",
      `PaySys accepts at least ${minMajor} ${unit} per payment; this payment is ${major.toFixed()} ${unit}`
    )
  }
  if (maxMajor !== null && major.isGreaterThan(maxMajor)) {
    throw new PaysysValidationError(
      "amount",
      `PaySys accepts at most ${maxMajor} ${unit} per payment; this payment is ${major.toFixed()} ${unit}`
    )
  }
}

/**
 * PaySys answers amounts leniently: 1000, "1000", "100,00" (decimal comma, pay_by_id).
 * Returns a plain decimal string.
 */
export function normalizeDecimal(value: string | number): string {
  const text = String(value).trim().replace(/\s/g, "").replace(",", ".")
  const parsed = new BigNumber(text)
  if (!parsed.isFinite()) {
    throw new PaysysValidationError("amount", `not an amount: "${String(value)}"`)
  }
  return parsed.toFixed()
}

/**
 * The time zone PaySys's cabinet reports in (Uzbekistan, UTC+5, no daylight saving): the
 * default of the option `reportTimeZone`, so the PaySys page's days are the cabinet's days.
 */
export const DEFAULT_REPORT_TIME_ZONE = "Asia/Tashkent"
