import { partnerTransIdFor, PaysysSessionData, readSessionData } from "../../../providers/paysys/session-data"
import type { GraphOrder, GraphSession } from "../../../workflows/paysys-payment-of-order"

/* What the order panel reads the ledger and the notifications by. */

export function collectionIds(order: GraphOrder): string[] {
  return (order.payment_collections ?? []).map((collection) => collection.id)
}

/** The ledger's attempts and every attempt the order's PaySys sessions name, once each. */
export function partnerTransIdsOf(
  attempts: { partner_trans_id: string }[],
  data: PaysysSessionData | null,
  sessions: GraphSession[]
): string[] {
  return [...new Set([...attempts.map((a) => a.partner_trans_id), ...attemptIds(data, sessions)])]
}

/** The attempt the payment holds, among the ledger's. */
export function ownAttempt<A extends { partner_trans_id: string }>(
  attempts: A[],
  data: PaysysSessionData | null
): A | undefined {
  return attempts.find((a) => a.partner_trans_id === data?.partner_trans_id)
}

/** Every attempt of the payment's session and of the order's other PaySys sessions: `<session>-1` ... `<session>-<n>`. */
function attemptIds(data: PaysysSessionData | null, sessions: GraphSession[]): string[] {
  const ids = new Set<string>()
  const add = (session: PaysysSessionData | null) => {
    if (!session) {
      return
    }
    for (let attempt = 1; attempt <= session.attempt; attempt++) {
      ids.add(partnerTransIdFor(session.session_id, attempt))
    }
    ids.add(session.partner_trans_id)
  }
  add(data)
  for (const session of sessions) {
    add(readSessionData(session.data ?? undefined))
  }
  return [...ids]
}
