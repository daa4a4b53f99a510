import { MathBN } from "@medusajs/framework/utils"
import { isPaysysCurrency } from "../../../paysys"
import { fromPaysysAmount, toPaysysAmount } from "../../../modules/paysys/money"
import type { Money } from "./paysys-order-panel-types"

/*
 * How the order panel writes amounts and times: PaySys's amounts are minor units, Medusa's
 * major units; the panel shows both, and every time as ISO.
 */

/** An amount in minor units (PaySys's), with its major units. */
export function money(minor: string | null | undefined, currency: string): Money {
  return { amount: minor ?? null, amount_major: minor == null ? null : toMajor(minor, currency), currency }
}

/** An amount in major units (Medusa's), with its minor units. */
export function majorMoney(major: unknown, currency: string): Money {
  const value = amountOf(major)
  if (!value) {
    return { amount: null, amount_major: null, currency }
  }
  return { amount: toMinor(major, currency), amount_major: value.toFixed(), currency }
}

export function toMajor(minor: string, currency: string): string {
  return isPaysysCurrency(currency) ? fromPaysysAmount(minor, currency).toFixed() : minor
}

export function toMinor(major: unknown, currency: string): string {
  const value = amountOf(major) ?? MathBN.convert(0)
  return isPaysysCurrency(currency) ? toPaysysAmount(value.abs(), currency).amount : value.toFixed()
}

/** Medusa serializes amounts as numbers, strings or `{ value }` (BigNumber's JSON). */
function amountOf(value: unknown) {
  const raw = value && typeof value === "object" && "value" in value ? (value as { value: unknown }).value : value
  if (typeof raw !== "number" && typeof raw !== "string") {
    return null
  }
  const parsed = MathBN.convert(raw)
  return parsed.isFinite() ? parsed : null
}

export function iso(value: string | Date | null | undefined): string | null {
  if (!value) {
    return null
  }
  const date = value instanceof Date ? value : new Date(value)
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}
