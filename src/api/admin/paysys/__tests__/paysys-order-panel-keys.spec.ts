import type { GraphOrder, GraphSession } from "../../../../workflows/paysys-payment-of-order"
import { collectionIds, ownAttempt, partnerTransIdsOf } from "../paysys-order-panel-keys"
import { attempt, sessionData } from "./panel-fixtures"

describe("what the order panel reads by", () => {
  const collections: [string, GraphOrder, string[]][] = [
    ["none", { id: "order_1" }, []],
    ["none (null)", { id: "order_1", payment_collections: null }, []],
    ["two", { id: "order_1", payment_collections: [{ id: "paycol_1" }, { id: "paycol_2" }] }, ["paycol_1", "paycol_2"]],
  ]
  it.each(collections)("the order's payment collections: %s", (_name, order, expected) => {
    expect(collectionIds(order)).toEqual(expected)
  })

  const session = (id: string, data: Record<string, unknown> | null): GraphSession => ({
    id,
    provider_id: "pp_paysys_paysys",
    data,
  })
  const ids: [
    string,
    { partner_trans_id: string }[],
    ReturnType<typeof sessionData> | null,
    GraphSession[],
    string[],
  ][] = [
    ["nothing read", [], null, [], []],
    ["the ledger's attempts alone", [{ partner_trans_id: "x-1" }, { partner_trans_id: "x-1" }], null, [], ["x-1"]],
    [
      "every attempt of the payment's session, its current one included",
      [],
      sessionData({ attempt: 3, partner_trans_id: "payses_1-3" }),
      [],
      ["payses_1-1", "payses_1-2", "payses_1-3"],
    ],
    [
      "a current attempt adopted from another session",
      [],
      sessionData({ attempt: 1, partner_trans_id: "payses_0-2" }),
      [],
      ["payses_1-1", "payses_0-2"],
    ],
    [
      "the ledger's first, then the sessions', each once",
      [{ partner_trans_id: "payses_1-2" }],
      sessionData({ attempt: 2, partner_trans_id: "payses_1-2" }),
      [
        session("payses_2", sessionData({ session_id: "payses_2", partner_trans_id: "payses_2-1" })),
        session("payses_3", null),
        session("payses_4", { not: "paysys" }),
      ],
      ["payses_1-2", "payses_1-1", "payses_2-1"],
    ],
  ]
  it.each(ids)("every attempt's id: %s", (_name, attempts, data, sessions, expected) => {
    expect(partnerTransIdsOf(attempts, data, sessions)).toEqual(expected)
  })

  const owns: [string, string[], ReturnType<typeof sessionData> | null, string | undefined][] = [
    [
      "the payment's attempt",
      ["payses_1-1", "payses_1-2"],
      sessionData({ partner_trans_id: "payses_1-2" }),
      "payses_1-2",
    ],
    ["none in the ledger", ["payses_1-1"], sessionData({ partner_trans_id: "payses_1-2" }), undefined],
    ["no session data", ["payses_1-1"], null, undefined],
  ]
  it.each(owns)("the payment's own attempt: %s", (_name, partnerTransIds, data, expected) => {
    const attempts = partnerTransIds.map((id) => attempt({ partner_trans_id: id }))
    expect(ownAttempt(attempts, data)?.partner_trans_id).toBe(expected)
  })
})
