import { PanelReading, shapePaysysOrderPanel } from "../paysys-order-panel-shape"
import type { PaysysOrderPanel } from "../paysys-order-panel-types"
import { at, attempt, payment, refundRow, sessionData, T0 } from "./panel-fixtures"

const order = { id: "order_1" }
const reading = (patch: Partial<PanelReading> = {}): PanelReading => ({
  order,
  payment: payment(),
  data: null,
  attempts: [],
  own: undefined,
  partnerTransIds: [],
  notifications: [],
  refunds: [],
  ...patch,
})

describe("shapePaysysOrderPanel", () => {
  it("a payment that holds no PaySys transaction yet: Medusa's word alone", () => {
    expect(
      shapePaysysOrderPanel(reading({ payment: payment({ currency_code: "UZS", payment_session_id: null }) }))
    ).toEqual({
      order_id: "order_1",
      payment_id: "pay_1",
      provider_id: "pp_paysys_paysys",
      payment_session_id: null,
      partner_trans_id: "",
      attempt: 0,
      transaction_id: null,
      paysys_status: null,
      status: "unknown",
      amount: "1139000",
      amount_major: "11390",
      currency: "uzs",
      refunded_amount: "0",
      refunded_amount_major: "0",
      card_masked: null,
      rrn: null,
      approval_code: null,
      three_ds: null,
      error: null,
      submitted_at: null,
      paid_at: null,
      captured_at: null,
      canceled_at: null,
      checked_at: null,
      created_at: T0,
      partner_trans_ids: [],
      attempts: [],
      attention: [],
      form: null,
      history: [],
    } satisfies PaysysOrderPanel)
  })

  const paid = sessionData({
    transaction_id: "tr_1",
    paysys_status: 2,
    card_masked: "860012******1234",
    rrn: "rrn_1",
    approval_code: "A1",
    three_ds: "Y",
    submitted_at: at(1),
    paid_at: at(2),
    checked_at: at(3),
  })
  const own = attempt({
    paysys_status: 2,
    bank: { error: { code: -31, message: "limit" } },
    history: [
      { at: at(4), event: "check_payment (job)", status: 1 },
      { at: at(5), event: "check_payment (notification)", status: 2 },
      { at: at(6), event: "refund_payment accepted" },
    ],
  })

  const cases: [string, Partial<PanelReading>, Partial<PaysysOrderPanel>][] = [
    [
      "the session data's transaction",
      { data: paid, partnerTransIds: ["payses_1-1"] },
      {
        payment_session_id: "payses_1",
        partner_trans_id: "payses_1-1",
        attempt: 1,
        transaction_id: "tr_1",
        paysys_status: 2,
        status: "paid",
        card_masked: "860012******1234",
        rrn: "rrn_1",
        approval_code: "A1",
        three_ds: "Y",
        submitted_at: at(1),
        paid_at: at(2),
        checked_at: at(3),
        partner_trans_ids: ["payses_1-1"],
      },
    ],
    [
      "the session's id when the payment does not name it",
      { payment: payment({ payment_session_id: null }), data: sessionData({ session_id: "payses_9" }) },
      { payment_session_id: "payses_9" },
    ],
    [
      "the session data's amount and currency over the payment's",
      { payment: payment({ amount: 1, currency_code: "usd" }), data: sessionData({ amount: "500000" }) },
      { amount: "500000", amount_major: "5000", currency: "uzs" },
    ],
    [
      "the ledger's word over the session data's: status, PaySys's reason, when PaySys last answered",
      { data: sessionData({ paysys_status: 1, checked_at: at(3) }), attempts: [own], own },
      {
        paysys_status: 2,
        status: "paid",
        error: { code: -31, message: "limit" },
        checked_at: at(5),
        attempts: [
          {
            partner_trans_id: "payses_1-1",
            state: "paid",
            outcome: null,
            paysys_status: 2,
            amount: "1139000",
            amount_major: "11390",
            currency: "uzs",
            created_at: T0,
          },
        ],
      },
    ],
    [
      "refunded in part",
      {
        data: paid,
        own: attempt({ paysys_status: 6 }),
        refunds: [refundRow(), refundRow({ key: "ref_2", amount: "50000" }), refundRow({ state: "unknown" })],
      },
      { status: "partially_refunded", refunded_amount: "150000", refunded_amount_major: "1500" },
    ],
    [
      "refunded in full",
      { data: paid, own: attempt({ paysys_status: 6 }), refunds: [refundRow({ amount: "1139000" })] },
      { status: "refunded", refunded_amount: "1139000" },
    ],
    [
      "reversed by the plugin: when the reversal was accepted",
      {
        data: paid,
        own: attempt({ paysys_status: 3, updated_at: new Date(at(30)) }),
        refunds: [refundRow({ kind: "cancel", amount: "1139000", created_at: new Date(at(20)) })],
      },
      { status: "reversed", canceled_at: at(20), refunded_amount: "1139000" },
    ],
    [
      "reversed at PaySys: when the ledger last changed",
      { data: paid, own: attempt({ paysys_status: 3, updated_at: new Date(at(30)) }) },
      { status: "reversed", canceled_at: at(30) },
    ],
    [
      "canceled in Medusa",
      { data: paid, payment: payment({ canceled_at: at(40), captured_at: at(35) }) },
      { canceled_at: at(40), captured_at: at(35) },
    ],
    [
      "through the hosted form",
      {
        data: paid,
        own: attempt({ kind: "form", agr_trans_id: "agr_1", vendor_trans_id: 7 }),
      },
      {
        form: {
          agr_trans_id: "agr_1",
          vendor_trans_id: 7,
          payment_name: null,
          environment: null,
          callbacks: [],
          receipt: null,
        },
      },
    ],
    [
      "what the merchant has to look at",
      { data: paid, own: attempt({ outcome: "refund_unexplained" }) },
      { attention: [{ type: "refund_unexplained" }] },
    ],
  ]
  it.each(cases)("%s", (_name, patch, expected) => {
    expect(shapePaysysOrderPanel(reading(patch))).toMatchObject(expected)
  })

  it("tells the payment's life in its history", () => {
    const panel = shapePaysysOrderPanel(reading({ data: paid, refunds: [refundRow()] }))
    expect(panel.history.map((entry) => [entry.type, entry.at])).toEqual([
      ["paid", at(2)],
      ["refund", at(10)],
    ])
  })
})
