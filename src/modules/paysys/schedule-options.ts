import { z } from "zod"

/**
 * The options reconciliation's pace is made of (see scheduleFrom), with their defaults: one piece
 * of schema in the plugin's options and in each provider's, so that every instance that writes or
 * checks attempts paces them alike, and a config that leaves them out gets the same defaults.
 */
export const scheduleOptionsSchema = z.object({
  /** per PaySys request (the card gateway's, or the form's status API); twice it, a write never reached PaySys */
  timeoutMs: z.coerce.number().int().min(1000).max(120_000).default(15_000),
  /** the reconciliation job asks PaySys about payments still waiting after this long */
  reconcileAfterSeconds: z.coerce.number().int().min(1).default(120),
  /**
   * Waits between two looks at an attempt PaySys has not finished, the last one repeating until
   * `reconcileHorizonDays`: a list or "60,300,...". Unset: about nine looks from creation to the
   * horizon, growing apart, two of them before PaySys's 7-day reversal window closes (DEFAULT_LOOKS).
   */
  reconcileBackoffSeconds: z
    .union([z.string().transform((list) => list.split(",").map((part) => Number(part.trim()))), z.array(z.number())])
    .pipe(z.array(z.number().int().min(1)).min(1))
    .optional(),
  /** past PaySys's 7-day reversal window: an attempt still unsettled then is parked for the merchant */
  reconcileHorizonDays: z.coerce.number().min(1).default(8),
  /**
   * A paid attempt no order can use (another attempt paid the cart, the cart changed or is gone)
   * is reversed this long after it was first seen paid: the shopper's own completion goes first.
   */
  reverseAfterSeconds: z.coerce.number().int().min(0).default(900),
})

export type ScheduleOptionsInput = z.input<typeof scheduleOptionsSchema>
/** The options a schedule is made of. */
export type ScheduleOptions = z.output<typeof scheduleOptionsSchema>
