import { HistoryFacts, panelHistory, refundsSentOf, RefundSent } from "../paysys-order-panel-history"
import type { PaysysHistoryEntry } from "../paysys-order-panel-types"
import { at, notification, payment, refundRow, sessionData, T0 } from "./panel-fixtures"

const uzs = (amount: string, amount_major: string) => ({ amount, amount_major, currency: "uzs" })
const FULL = uzs("1139000", "11390")

describe("refundsSentOf", () => {
  const cases: [string, Parameters<typeof refundRow>[0], RefundSent[]][] = [
    ["a refund Medusa asked for", {}, [{ key: "ref_1", amount: "100000", via: "refund", at: at(10) }]],
    [
      "a reversal, by its key while Medusa has not recorded it",
      { kind: "cancel", key: "rev_1", booked_as: null },
      [{ key: "rev_1", amount: "100000", via: "cancel", at: at(10) }],
    ],
    [
      "one made in PaySys's cabinet, by the Medusa refund recording it",
      { origin: "external", key: "ext_1", booked_as: "ref_7" },
      [{ key: "ref_7", amount: "100000", via: "paysys", at: at(10) }],
    ],
    ["one PaySys refused", { state: "refused" }, []],
    ["one whose outcome is unknown", { state: "unknown" }, []],
  ]
  it.each(cases)("%s", (_name, patch, expected) => {
    expect(refundsSentOf([refundRow(patch)])).toEqual(expected)
  })
})

describe("panelHistory", () => {
  const base: HistoryFacts = {
    data: null,
    payment: payment(),
    notifications: [],
    refundsSent: [],
    canceledAt: null,
    amountMinor: "1139000",
    currency: "uzs",
  }
  const sent = (patch: Partial<RefundSent> = {}): RefundSent => ({
    key: "ref_1",
    amount: "100000",
    via: "refund",
    at: at(10),
    ...patch,
  })
  const refund = { id: "ref_1", amount: 1000, created_at: at(11), note: "damaged", refund_reason: { label: "Return" } }

  const cases: [string, Partial<HistoryFacts>, PaysysHistoryEntry[]][] = [
    ["nothing happened yet", {}, []],
    [
      "paid",
      { data: sessionData({ paid_at: at(2) }) },
      [{ type: "paid", at: at(2), partner_trans_id: "payses_1-1", ...FULL }],
    ],
    [
      "captured, in Medusa's major units",
      { payment: payment({ captures: [{ id: "capt_1", amount: { value: "11390" }, created_at: at(3) }] }) },
      [{ type: "captured", at: at(3), capture_id: "capt_1", ...FULL }],
    ],
    [
      "notifications, in their own currency, with what they claimed",
      {
        notifications: [
          notification({ currency: "USD", amount: "1050" }),
          notification({ id: "psnot_2", reported_status: "stat?", currency: null, amount: null, created_at: at(2) }),
        ],
      },
      [
        {
          type: "notification",
          at: at(1),
          notification_id: "psnot_1",
          partner_trans_id: "payses_1-1",
          reported_status: "2",
          status: "paid",
          deliveries: 1,
          processed_at: at(1),
          outcome: "paid",
          last_error: null,
          amount: "1050",
          amount_major: "10.5",
          currency: "usd",
        },
        {
          type: "notification",
          at: at(2),
          notification_id: "psnot_2",
          partner_trans_id: "payses_1-1",
          reported_status: "stat?",
          status: "unknown",
          deliveries: 1,
          processed_at: at(1),
          outcome: "paid",
          last_error: null,
          amount: null,
          amount_major: null,
          currency: "uzs",
        },
      ],
    ],
    [
      "a Medusa refund PaySys made: how, and PaySys's amount",
      { payment: payment({ refunds: [refund] }), refundsSent: [sent({ amount: "99999" })] },
      [
        {
          type: "refund",
          at: at(11),
          refund_id: "ref_1",
          via: "refund",
          note: "damaged",
          reason: "Return",
          ...uzs("99999", "999.99"),
        },
      ],
    ],
    [
      "a Medusa refund PaySys has no record of: Medusa's amount",
      { payment: payment({ refunds: [{ id: "ref_2", amount: "1000", created_at: at(11) }] }), refundsSent: [] },
      [
        {
          type: "refund",
          at: at(11),
          refund_id: "ref_2",
          via: null,
          note: null,
          reason: null,
          ...uzs("100000", "1000"),
        },
      ],
    ],
    [
      "a refund PaySys made that Medusa has not recorded",
      { refundsSent: [sent({ key: "ext_1", via: "paysys" })] },
      [
        {
          type: "refund",
          at: at(10),
          refund_id: null,
          via: "paysys",
          note: null,
          reason: null,
          ...uzs("100000", "1000"),
        },
      ],
    ],
    [
      "a reversal PaySys reports",
      { canceledAt: at(5) },
      [{ type: "cancellation", at: at(5), source: "paysys", ...FULL }],
    ],
    [
      "a reversal the plugin sent is told as its refund, not again as a cancellation",
      { canceledAt: at(10), refundsSent: [sent({ key: "rev_1", via: "cancel", amount: "1139000" })] },
      [{ type: "refund", at: at(10), refund_id: null, via: "cancel", note: null, reason: null, ...FULL }],
    ],
    [
      "a payment canceled in Medusa",
      { payment: payment({ canceled_at: new Date(at(6)) }) },
      [{ type: "cancellation", at: at(6), source: "medusa", ...FULL }],
    ],
  ]
  it.each(cases)("%s", (_name, patch, expected) => {
    expect(panelHistory({ ...base, ...patch })).toEqual(expected)
  })

  const orders: [string, Partial<HistoryFacts>, [string, string][]][] = [
    [
      "oldest first",
      {
        data: sessionData({ paid_at: at(2) }),
        payment: payment({ canceled_at: at(4), captures: [{ id: "capt_1", amount: 11390, created_at: at(3) }] }),
        notifications: [notification({ created_at: at(1) })],
      },
      [
        ["notification", at(1)],
        ["paid", at(2)],
        ["captured", at(3)],
        ["cancellation", at(4)],
      ],
    ],
    [
      "at the same time: the notification, then paid, captured, refunded, cancelled",
      {
        data: sessionData({ paid_at: T0 }),
        payment: payment({ canceled_at: T0, captures: [{ id: "capt_1", amount: 11390, created_at: T0 }] }),
        notifications: [notification({ created_at: T0 })],
        refundsSent: [sent({ at: T0 })],
      },
      [
        ["notification", T0],
        ["paid", T0],
        ["captured", T0],
        ["refund", T0],
        ["cancellation", T0],
      ],
    ],
  ]
  it.each(orders)("in order: %s", (_name, patch, expected) => {
    expect(panelHistory({ ...base, ...patch }).map((entry) => [entry.type, entry.at])).toEqual(expected)
  })
})
