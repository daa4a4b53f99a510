import { z } from "@medusajs/framework/zod"
import {
  cardCvcProblem,
  cardExpiryProblem,
  CardField,
  cardHolderNameProblem,
  cardNumberProblem,
  CardProblem,
  normalizeCardHolderName,
  normalizeCardNumber,
  parseCardExpiry,
} from "../../../paysys/card-rules"

/**
 * A card field's type check. Medusa's error format quotes the received value of any zod
 * type error ("got: '4111...'") into the 400 and its log: a card number sent as a JSON number
 * must be named, never echoed, so the type is checked here with a message of our own.
 */
const text = (field: CardField) =>
  z.unknown().transform((value, ctx) => {
    if (typeof value !== "string") {
      ctx.addIssue({ code: "custom", message: `${field} must be a string` })
      return z.NEVER
    }
    return value
  })

/**
 * A card field checked by the card rules the storefront kit applies too (src/paysys/card-rules.ts),
 * so the shopper's browser and this route give the same answer with the same message. Messages
 * name the rule, never the value.
 */
const checkedBy = (field: CardField, problemOf: (value: string) => CardProblem | null) =>
  text(field).pipe(
    z.string().superRefine((value, ctx) => {
      const problem = problemOf(value)
      if (problem) {
        ctx.addIssue({ code: "custom", message: problem.message })
      }
    })
  )

/** The card as a shopper types it. */
export const cardFields = {
  card_holder_name: checkedBy("card_holder_name", cardHolderNameProblem).transform(normalizeCardHolderName),
  card_number: checkedBy("card_number", cardNumberProblem).transform(normalizeCardNumber),
  /** as printed on the card */
  card_expiry: checkedBy("card_expiry", (expiry) => cardExpiryProblem(expiry)).transform((expiry) =>
    parseCardExpiry(expiry)!
  ),
  card_cvc: checkedBy("card_cvc", cardCvcProblem),
}

export const StoreSubmitCardPayment = z.object({
  ...cardFields,
  /** where PaySys sends the shopper after 3-D Secure: the storefront's return page */
  redirect_url: z.url({ protocol: /^https?$/, error: "redirect_url must be an http(s) URL" }),
  /** the merchant's CAPTCHA widget's token, asked for after repeated declines (captcha_required) */
  captcha_token: z.string().min(1).max(4096).optional(),
})

/** A card to save for later (mir.card_registration, then 3-D Secure). */
export const StoreSaveCard = z.object(cardFields)

export type StoreSaveCardType = z.infer<typeof StoreSaveCard>
export type StoreSubmitCardPaymentType = z.infer<typeof StoreSubmitCardPayment>
export type CardInput = Pick<StoreSubmitCardPaymentType, keyof typeof cardFields>
