import { Attempt } from "../ledger-types"

/** A ledger attempt for unit tests: a card attempt waiting for 3-D Secure, unless overridden. */
export function attemptFixture(overrides: Partial<Attempt> = {}): Attempt {
  return {
    id: "psatt_1",
    partner_trans_id: "payses_1-1",
    provider_id: "pp_paysys_paysys",
    kind: "card",
    session_id: "payses_1",
    payment_collection_id: "pay_col_1",
    cart_id: null,
    amount: "14500000",
    currency: "uzs",
    saved_card_id: null,
    state: "open",
    paysys_status: 1,
    transaction_id: "1",
    agr_trans_id: null,
    vendor_trans_id: 1,
    form: null,
    payment_id: null,
    outcome: null,
    sent_at: new Date(),
    paid_at: null,
    claimed_at: null,
    next_check_at: new Date(),
    contradicted_at: null,
    checks: 0,
    last_error: null,
    bank: null,
    history: [],
    created_at: new Date(),
    updated_at: new Date(),
    ...overrides,
  }
}
