import { CANCEL_CONTRADICTED_EVENT, CONTRADICTION_CHECKED_EVENT } from "../../../../modules/paysys/ledger-types"
import type { Attempt, RefundRow } from "../../../../modules/paysys/ledger-types"
import { attentionItems } from "../paysys-order-panel-attention"
import type { PaysysAttentionItem } from "../paysys-order-panel-types"
import { at, attempt, notification, refundRow } from "./panel-fixtures"
import type { PanelNotification } from "../paysys-order-panel-history"

type Case = {
  own?: { outcome: string | null } | null
  refunds?: RefundRow[]
  attempts?: Attempt[]
  notifications?: PanelNotification[]
  expected: PaysysAttentionItem[]
}

const contradicted = (minutes: number, detail?: string) => ({
  at: at(minutes),
  event: CANCEL_CONTRADICTED_EVENT,
  detail,
})
const checked = (minutes: number) => ({ at: at(minutes), event: CONTRADICTION_CHECKED_EVENT })

describe("attentionItems", () => {
  const cases: [string, Case][] = [
    ["nothing to look at", { own: attempt(), refunds: [refundRow()], attempts: [attempt()], expected: [] }],
    ["no attempt of its own", { own: null, expected: [] }],
    [
      "a refund PaySys reports and Medusa did not make",
      { own: { outcome: "refund_unexplained" }, expected: [{ type: "refund_unexplained" }] },
    ],
    [
      "a refund PaySys made that Medusa has not recorded",
      {
        refunds: [refundRow({ key: "ref_lost", booked_as: null, amount: "50000" })],
        expected: [
          { type: "refund_unbooked", refund_key: "ref_lost", amount: "50000", amount_major: "500", currency: "uzs" },
        ],
      },
    ],
    [
      "an unrecorded refund found by reconciliation is not one",
      { refunds: [refundRow({ booked_as: null, origin: "reconciliation" })], expected: [] },
    ],
    [
      "a refund whose outcome PaySys cannot tell",
      {
        refunds: [refundRow({ id: "psref_9", key: "ref_9", state: "unknown", booked_as: null })],
        expected: [
          {
            type: "refund_unknown",
            refund_id: "psref_9",
            refund_key: "ref_9",
            amount: "100000",
            amount_major: "1000",
            currency: "uzs",
          },
        ],
      },
    ],
    [
      "refunds still sending or refused are not for the merchant",
      {
        refunds: [refundRow({ state: "sending" }), refundRow({ state: "refused" })],
        expected: [],
      },
    ],
    [
      "parked attempts, with their outcome or else their last error",
      {
        attempts: [
          attempt({ partner_trans_id: "a-1", state: "attention", outcome: "amount_mismatch", last_error: "x" }),
          attempt({ partner_trans_id: "a-2", state: "attention", outcome: null, last_error: "timeout" }),
          attempt({ partner_trans_id: "a-3", state: "paid" }),
        ],
        expected: [
          { type: "attempt_parked", partner_trans_id: "a-1", reason: "amount_mismatch" },
          { type: "attempt_parked", partner_trans_id: "a-2", reason: "timeout" },
        ],
      },
    ],
    [
      "contradicted cancellations since the merchant last checked",
      {
        attempts: [
          attempt({ partner_trans_id: "a-1", history: [contradicted(1, "old"), checked(2), contradicted(3, "new")] }),
          attempt({ partner_trans_id: "a-2", history: [contradicted(4)] }),
          attempt({ partner_trans_id: "a-3", history: [contradicted(5), checked(6)] }),
        ],
        expected: [
          { type: "cancel_contradicted", partner_trans_id: "a-1", at: at(3), reason: "new" },
          { type: "cancel_contradicted", partner_trans_id: "a-2", at: at(4), reason: null },
        ],
      },
    ],
    [
      "parked notifications",
      {
        notifications: [
          notification({ id: "psnot_1" }),
          notification({ id: "psnot_2", parked_at: at(9), last_error: "no such payment" }),
        ],
        expected: [{ type: "notification_parked", notification_id: "psnot_2", reason: "no such payment" }],
      },
    ],
    [
      "all of them, in that order",
      {
        own: { outcome: "refund_unexplained" },
        refunds: [refundRow({ state: "unknown", booked_as: null })],
        attempts: [attempt({ state: "attention", outcome: "stuck", history: [contradicted(1)] })],
        notifications: [notification({ parked_at: at(2), last_error: "bad" })],
        expected: [
          { type: "refund_unexplained" },
          {
            type: "refund_unknown",
            refund_id: "psref_1",
            refund_key: "ref_1",
            amount: "100000",
            amount_major: "1000",
            currency: "uzs",
          },
          { type: "attempt_parked", partner_trans_id: "payses_1-1", reason: "stuck" },
          { type: "cancel_contradicted", partner_trans_id: "payses_1-1", at: at(1), reason: null },
          { type: "notification_parked", notification_id: "psnot_1", reason: "bad" },
        ],
      },
    ],
  ]

  it.each(cases)("%s", (_name, { own = null, refunds = [], attempts = [], notifications = [], expected }) => {
    expect(attentionItems(own, refunds, attempts, notifications, "uzs")).toEqual(expected)
  })
})
