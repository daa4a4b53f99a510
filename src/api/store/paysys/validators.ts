import { z } from "@medusajs/framework/zod"
import { cardBrand, CARD_HOLDER_PATTERN, passesLuhn } from "../../../paysys"

/**
 * The card as a shopper types it. Messages name the rule, never the value: a card
 * number must not come back in an error, a log line or a response.
 */
export const cardFields = {
  card_holder_name: z
    .string()
    .trim()
    .transform((name) => name.toUpperCase())
    .pipe(z.string().regex(CARD_HOLDER_PATTERN, "card_holder_name must be 1-26 Latin letters, digits, spaces or - / _ .")),
  card_number: z
    .string()
    .transform((number) => number.replace(/[\s-]/g, ""))
    .pipe(
      z
        .string()
        .regex(/^\d{12,19}$/, "card_number must be 12-19 digits")
        .refine(passesLuhn, "card_number is not a valid card number")
        .refine((number) => cardBrand(number) !== null, "card_number must be a Visa, MasterCard or MIR card")
    ),
  /** as printed on the card */
  card_expiry: z
    .string()
    .trim()
    .regex(/^(0[1-9]|1[0-2])\s*\/\s*\d{2}$/, "card_expiry must be MM/YY")
    .transform((expiry) => {
      const [month, year] = expiry.split("/").map((part) => part.trim())
      return { month, year }
    })
    .refine(({ month, year }) => !isExpired(month, year), "card_expiry: the card has expired"),
  card_cvc: z.string().regex(/^\d{3}$/, "card_cvc must be 3 digits"),
}

/** A card is valid through the last day of its expiry month. */
function isExpired(month: string, year: string, now = new Date()): boolean {
  const endOfMonth = Date.UTC(2000 + Number(year), Number(month), 1)
  return endOfMonth <= now.getTime()
}

export const StoreSubmitCardPayment = z.object({
  ...cardFields,
  /** where PaySys sends the shopper after 3-D Secure: the storefront's return page */
  redirect_url: z.url({ protocol: /^https?$/, error: "redirect_url must be an http(s) URL" }),
})

/** A card to save for later (mir.card_registration, then 3-D Secure). */
export const StoreSaveCard = z.object(cardFields)

export type StoreSaveCardType = z.infer<typeof StoreSaveCard>
export type StoreSubmitCardPaymentType = z.infer<typeof StoreSubmitCardPayment>
export type CardInput = Pick<StoreSubmitCardPaymentType, keyof typeof cardFields>
