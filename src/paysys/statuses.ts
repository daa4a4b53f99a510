/** Payment statuses of check_payment and of the status notification. */
export const PaysysStatus = {
  CREATED: 0,
  AWAITING_PAYMENT: 1, // 3-D Secure not done yet
  COMPLETED: 2, // one-stage: money taken, there is no capture call
  CANCELED: 3, // reversal
  REFUNDED: 6, // one or more refunds
  ERROR: -1, // any negative value is an error
} as const

export function isPaysysErrorStatus(status: number): boolean {
  return status < 0
}

/** The statuses after which a payment will not move without a merchant action. */
export function isPaysysFinalStatus(status: number): boolean {
  return (
    status === PaysysStatus.COMPLETED ||
    status === PaysysStatus.CANCELED ||
    status === PaysysStatus.REFUNDED ||
    status < 0
  )
}
