/**
 * One lock per payment collection (a cart's payments): card submissions and settling any of
 * its attempts take turns, whichever session of the cart they come through.
 */
export function collectionLockKey(paymentCollectionId: string): string {
  return `paysys:payment-collection:${paymentCollectionId}`
}
