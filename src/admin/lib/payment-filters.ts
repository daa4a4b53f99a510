/** The Payments list's filters, as its inputs hold them: "" is no filter. */
export type PaymentFilters = { from: string; to: string; state: string; method: string; currency: string }

/** The merchant's own day (en-CA writes YYYY-MM-DD): a store in Tashkent sees the cabinet's day. */
export function merchantToday(): string {
  return new Date().toLocaleDateString("en-CA")
}

/** The filters set, as the payments route and its export take them. */
export function paymentsQuery(filters: PaymentFilters): Record<string, string> {
  return Object.fromEntries(Object.entries(filters).filter(([, value]) => value))
}
