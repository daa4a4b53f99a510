/**
 * What a storefront learns when PaySys declines a card: a stable code and a plain message,
 * never PaySys's reason, which would tell a card tester why each card failed. The store routes
 * answer it, `payment_session.data.error` holds it, and the storefront kit recognises it.
 */
export const CARD_DECLINED = {
  code: "card_declined",
  message: "The card was declined. Try another card or contact your bank.",
} as const
