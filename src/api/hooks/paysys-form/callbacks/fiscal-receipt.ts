import { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MathBN } from "@medusajs/framework/utils"
import { checkFiscalSum, FISCAL_RECEIPT_TYPES, FiscalItem, FiscalReceipt } from "../../../../paysys-form"

/** Where a product (or its variant, which wins) keeps its IKPU code, VAT rate and package code. */
export const FISCAL_METADATA_KEYS = { ikpu: "ikpu_code", vat: "vat_percent", packageCode: "package_code" } as const

export class FiscalReceiptError extends Error {}

type Metadata = Record<string, unknown> | null | undefined

/** Medusa's amounts: numbers, strings or its BigNumber (totals) */
type Amount = Parameters<typeof MathBN.convert>[0]

type SaleForReceipt = {
  id: string
  items: {
    title: string
    product_title: string | null
    product_id: string | null
    quantity: Amount
    unit_price: Amount
    /** promotions: their sum is the line's discount */
    adjustments?: { amount: Amount }[] | null
    variant?: { metadata?: Metadata; product?: { metadata?: Metadata } | null } | null
  }[]
  shipping_methods: { name: string; amount: Amount; adjustments?: { amount: Amount }[] | null }[]
}

/**
 * The receipt of an order for Fiscalization: one line per item at its
 * unit price in sum, its discount, the shipping line; IKPU code and VAT from the variant's or
 * the product's metadata (shipping: the form's options). The documented sum rule is checked
 * against the payment's amount; what breaks it, or a product with no IKPU code, is an error
 * naming it. The order, or its cart while the order is not placed yet (Fiscalization may come
 * first): both have the same lines.
 */
export async function fiscalReceiptOf(
  container: MedusaContainer,
  sale: { entity: "order" | "cart"; id: string },
  formAmount: string,
  shipping: { ikpuCode?: string; vatPercent?: number }
): Promise<FiscalReceipt> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: sale.entity,
    // "items.*": an order line's quantity comes with its whole row, not as a field alone
    fields: [
      "id",
      "items.*",
      "items.adjustments.amount",
      "items.variant.metadata",
      "items.variant.product.metadata",
      "shipping_methods.*",
      "shipping_methods.adjustments.amount",
    ],
    filters: { id: sale.id },
  })
  const order = data[0] as unknown as SaleForReceipt | undefined
  if (!order) {
    throw new FiscalReceiptError(`${sale.entity} ${sale.id} was not found`)
  }
  const items: FiscalItem[] = order.items.map((item) => {
    const metadata = { ...(item.variant?.product?.metadata ?? {}), ...(item.variant?.metadata ?? {}) }
    const code = metadata[FISCAL_METADATA_KEYS.ikpu]
    const name = item.product_title ?? item.title
    if (typeof code !== "string" || !code.trim()) {
      throw new FiscalReceiptError(
        `product "${name}" (${item.product_id}) has no IKPU code: set metadata.${FISCAL_METADATA_KEYS.ikpu} on the product or its variant`
      )
    }
    return line(
      name,
      item.unit_price,
      item.quantity,
      item.adjustments,
      code.trim(),
      metadata[FISCAL_METADATA_KEYS.vat],
      metadata[FISCAL_METADATA_KEYS.packageCode]
    )
  })
  for (const method of order.shipping_methods.filter((m) => decimal(m.amount).isGreaterThan(0))) {
    if (!shipping.ikpuCode) {
      throw new FiscalReceiptError(`shipping "${method.name}" has no IKPU code: set the form option shippingIkpuCode`)
    }
    items.push(
      line(method.name, method.amount, 1, method.adjustments, shipping.ikpuCode, shipping.vatPercent, undefined)
    )
  }
  const sum = checkFiscalSum(items, formAmount)
  if (!sum.ok) {
    throw new FiscalReceiptError(`${sale.entity} ${sale.id}: ${sum.reason}`)
  }
  return { type: FISCAL_RECEIPT_TYPES.PURCHASE, items }
}

function decimal(amount: Amount | null | undefined) {
  return MathBN.convert(amount ?? 0)
}

function line(
  title: string,
  price: Amount,
  count: Amount,
  adjustments: { amount: Amount }[] | null | undefined,
  code: string,
  vat: unknown,
  packageCode: unknown
): FiscalItem {
  const total = MathBN.add(0, ...(adjustments ?? []).map((adjustment) => decimal(adjustment.amount)))
  return {
    title,
    price: decimal(price).toNumber(),
    count: decimal(count).toNumber(),
    code,
    ...(total.isGreaterThan(0) ? { discount: total.toNumber() } : {}),
    ...(vat !== undefined && vat !== null && vat !== "" ? { vat_percent: Number(vat) } : {}),
    ...(typeof packageCode === "string" && packageCode ? { package_code: packageCode } : {}),
  }
}
