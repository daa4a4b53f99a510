import { z } from "@medusajs/framework/zod"
import { ATTEMPT_STATES } from "../../../modules/paysys/attempt-machine"
import { REFUND_STATES } from "../../../modules/paysys/refund-machine"

/** A refund made in the PaySys cabinet, in major units as Medusa shows amounts: kept exact, as text. */
export const AdminRecordPaysysRefund = z.object({
  amount: z
    .union([z.number(), z.string()], { error: "amount must be a number" })
    .transform(String)
    .pipe(
      z
        .string()
        .trim()
        .regex(/^\d+(\.\d+)?$/, "amount must be a positive decimal number")
    ),
})

export type AdminRecordPaysysRefundType = z.infer<typeof AdminRecordPaysysRefund>

/** What the merchant read in the PaySys cabinet about a refund whose outcome is unknown. */
export const AdminSettlePaysysRefund = z.object({
  made: z.boolean({ error: "made must be true (PaySys made the refund) or false (it did not)" }),
})

export type AdminSettlePaysysRefundType = z.infer<typeof AdminSettlePaysysRefund>

/** A page of "Needs you", as Medusa's own admin lists page: limit and offset. */
export const AdminGetPaysysNeedsYou = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
})

export type AdminGetPaysysNeedsYouType = z.infer<typeof AdminGetPaysysNeedsYou>

/** What the merchant did about an attempt parked for them, in the PaySys cabinet. */
export const AdminResolvePaysysAttempt = z.object({
  resolution: z.enum(["refunded_in_cabinet", "not_paid"], {
    error:
      "resolution must be refunded_in_cabinet (refunded in the PaySys cabinet) or not_paid (PaySys shows it unpaid)",
  }),
})

export type AdminResolvePaysysAttemptType = z.infer<typeof AdminResolvePaysysAttempt>

/** The merchant says they looked at the payment in the PaySys cabinet: nothing else is recorded. */
export const AdminAcknowledgePaysysContradiction = z.object({
  checked_in_cabinet: z.literal(true, {
    error: "checked_in_cabinet must be true: check the payment in the PaySys cabinet first",
  }),
})

export type AdminAcknowledgePaysysContradictionType = z.infer<typeof AdminAcknowledgePaysysContradiction>

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a day: YYYY-MM-DD")
  .refine((value) => !Number.isNaN(Date.parse(value)), "must be a day")

/** The PaySys page's payments: filters, and a page as Medusa's admin lists have them. */
export const AdminGetPaysysPayments = z.object({
  from: day.optional(),
  to: day.optional(),
  /** an attempt's state (payments) or a refund's (refunds) */
  state: z.enum([...new Set([...ATTEMPT_STATES, ...REFUND_STATES])] as [string, ...string[]]).optional(),
  method: z.enum(["card", "form"]).optional(),
  currency: z
    .string()
    .regex(/^[a-zA-Z]{3}$/, "must be a currency code")
    .transform((value) => value.toLowerCase())
    .optional(),
  type: z.enum(["payment", "refund"]).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
})

export type AdminGetPaysysPaymentsType = z.infer<typeof AdminGetPaysysPayments>
