import { BigNumberInput } from "@medusajs/framework/types"
import { MathBN } from "@medusajs/framework/utils"
import {
  assertPaymentAmountWithinLimits,
  fromMinorUnits,
  PaysysCurrency,
  toMinorUnits,
  toPaysysCurrency,
} from "../../paysys"

/** A Medusa amount as PaySys takes it: exact minor units and a PaySys currency. */
export type PaysysMoney = { amount: string; currency: PaysysCurrency }

/** Medusa amount (major units) to PaySys minor units, exactly (MathBN, never floats). */
export function toPaysysAmount(amount: BigNumberInput, currencyCode: string): PaysysMoney {
  const currency = toPaysysCurrency(currencyCode)
  return { amount: toMinorUnits(MathBN.convert(amount).toFixed(), currency), currency }
}

/** Like toPaysysAmount, and refuses what PaySys would refuse as a payment (currency limits). */
export function toPaysysPaymentAmount(amount: BigNumberInput, currencyCode: string): PaysysMoney {
  const money = toPaysysAmount(amount, currencyCode)
  assertPaymentAmountWithinLimits(money.amount, money.currency)
  return money
}

/** PaySys minor units back to a Medusa amount (major units), exactly. */
export function fromPaysysAmount(minor: string, currency: PaysysCurrency) {
  return MathBN.convert(fromMinorUnits(minor, currency))
}
