import BigNumber from "bignumber.js"
import { z } from "zod"
import { errorAnswer } from "./schemas"

/*
 * The fiscal receipt the merchant returns to Fiscalization, and its documented rule:
 * Σ(price × count − discount) equals the payment amount, and no discount reaches its price.
 * `price` is the unit price in sum (FISCAL_PRICE_IS_UNIT_PRICE).
 */

/** Receipt type: 0 purchase, 1 advance, 2 credit. */
export const FISCAL_RECEIPT_TYPES = { PURCHASE: 0, ADVANCE: 1, CREDIT: 2 } as const

const money = z.number().nonnegative().finite()

export const fiscalItem = z.object({
  title: z.string().min(1, "must not be empty"),
  price: money,
  count: z.number().int().positive(),
  /** IKPU code of the product */
  code: z.string().min(1, "must not be empty (the IKPU code)"),
  discount: money.optional(),
  /** unit code */
  units: z.number().int().optional(),
  vat_percent: z.number().int().min(0).max(100).optional(),
  package_code: z.string().min(1).optional(),
})

export const fiscalReceipt = z.object({
  type: z.union([
    z.literal(FISCAL_RECEIPT_TYPES.PURCHASE),
    z.literal(FISCAL_RECEIPT_TYPES.ADVANCE),
    z.literal(FISCAL_RECEIPT_TYPES.CREDIT),
  ]),
  phone_number: z.string().min(1).optional(),
  items: z.array(fiscalItem).min(1, "must hold at least one item"),
})

export const fiscalizationAnswer = errorAnswer.extend({ PARAMETERS: fiscalReceipt.optional() })

export type FiscalItem = z.output<typeof fiscalItem>
export type FiscalReceipt = z.output<typeof fiscalReceipt>
export type FiscalizationAnswer = z.output<typeof fiscalizationAnswer>

export type FiscalSumCheck =
  { ok: true; total: string } | { ok: false; total: string; reason: string; itemIndex: number | null }

/**
 * The sum rule, exactly (decimal arithmetic, never floats). `amount` is the payment's
 * MERCHANT_TRANS_AMOUNT (whole sum). The failure names the item or the totals.
 */
export function checkFiscalSum(
  items: readonly Pick<FiscalItem, "price" | "count" | "discount" | "title">[],
  amount: BigNumber.Value
): FiscalSumCheck {
  let total = new BigNumber(0)
  for (const [index, item] of items.entries()) {
    const price = new BigNumber(item.price)
    const discount = new BigNumber(item.discount ?? 0)
    if (discount.isGreaterThanOrEqualTo(price) && !discount.isZero()) {
      return {
        ok: false,
        total: total.toFixed(),
        reason: `items[${index}] (${item.title}): discount ${discount.toFixed()} must be less than price ${price.toFixed()}`,
        itemIndex: index,
      }
    }
    total = total.plus(price.times(item.count).minus(discount))
  }
  const expected = new BigNumber(amount)
  if (!total.isEqualTo(expected)) {
    return {
      ok: false,
      total: total.toFixed(),
      reason: `Σ(price × count − discount) is ${total.toFixed()}, the payment amount is ${expected.toFixed()}`,
      itemIndex: null,
    }
  }
  return { ok: true, total: total.toFixed() }
}
