import { z } from "@medusajs/framework/zod"

/** A refund made in the PaySys cabinet, in major units as Medusa shows amounts: kept exact, as text. */
export const AdminRecordPaysysRefund = z.object({
  amount: z
    .union([z.number(), z.string()], { error: "amount must be a number" })
    .transform(String)
    .pipe(z.string().trim().regex(/^\d+(\.\d+)?$/, "amount must be a positive decimal number")),
})

export type AdminRecordPaysysRefundType = z.infer<typeof AdminRecordPaysysRefund>

/** What the merchant read in the PaySys cabinet about a refund whose outcome is unknown. */
export const AdminSettlePaysysRefund = z.object({
  made: z.boolean({ error: "made must be true (PaySys made the refund) or false (it did not)" }),
})

export type AdminSettlePaysysRefundType = z.infer<typeof AdminSettlePaysysRefund>
