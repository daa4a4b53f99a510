import { z } from "zod"

/** A card to save, as the store route validated it (the provider checks its shape again). */
export const savedCardInput = z.object({
  card_holder_name: z.string().min(1),
  card_number: z.string().regex(/^\d{12,19}$/),
  card_expiry: z.object({ month: z.string().regex(/^\d{2}$/), year: z.string().regex(/^\d{2}$/) }),
  card_cvc: z.string().regex(/^\d{3}$/),
})
