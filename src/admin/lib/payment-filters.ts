/** The Payments list's filters, as its inputs hold them: "" is no filter. */
export type PaymentFilters = { from: string; to: string; state: string; method: string; currency: string }

/**
 * Today in a time zone (en-CA writes YYYY-MM-DD); the browser's own when none is given. The
 * Payments list's days are the report's (the option reportTimeZone), which only the server knows.
 */
export function dayIn(timeZone?: string, now = new Date()): string {
  return now.toLocaleDateString("en-CA", { timeZone })
}

/** The filters set, as the payments route and its export take them. */
export function paymentsQuery(filters: PaymentFilters): Record<string, string> {
  return Object.fromEntries(Object.entries(filters).filter(([, value]) => value))
}
