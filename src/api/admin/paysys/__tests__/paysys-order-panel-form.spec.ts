import type { FormRecord, HistoryEntry } from "../../../../modules/paysys/ledger-types"
import { formDetails } from "../paysys-order-panel-form"
import type { PaysysFormDetails } from "../paysys-order-panel-types"
import { at } from "./panel-fixtures"

describe("formDetails", () => {
  const form: FormRecord = {
    payment_system_id: "77",
    payment_name: "uzcard",
    environment: "sandbox",
    pay_accepted_at: at(1),
    notified: [2],
    receipts: { PAYMENT: { items: 1 } },
  }
  const history: HistoryEntry[] = [
    { at: at(0), event: "form opened" },
    { at: at(1), event: "Pay accepted", detail: "PAYMENT_ID 77" },
    { at: at(2), event: "check_payment: 2" },
    { at: at(3), event: "Notify 2" },
    { at: at(4), event: "Payment confirmed" },
    { at: at(5), event: "payment_status: paid", detail: null },
    { at: at(6), event: "Fiscalization PAYMENT" },
    { at: at(7), event: "Cancelled by the merchant" },
  ]
  const base = { agr_trans_id: "agr_1", vendor_trans_id: 42 }

  const cases: [string, { form: unknown; history: unknown }, PaysysFormDetails][] = [
    [
      "the form's callbacks and the status API's answers, oldest first, and the receipt",
      { form, history },
      {
        ...base,
        payment_name: "uzcard",
        environment: "sandbox",
        callbacks: [
          { at: at(0), event: "form opened", detail: null },
          { at: at(1), event: "Pay accepted", detail: "PAYMENT_ID 77" },
          { at: at(3), event: "Notify 2", detail: null },
          { at: at(5), event: "payment_status: paid", detail: null },
          { at: at(6), event: "Fiscalization PAYMENT", detail: null },
        ],
        receipt: { items: 1 },
      },
    ],
    [
      "nothing yet from the form",
      { form: null, history: null },
      { ...base, payment_name: null, environment: null, callbacks: [], receipt: null },
    ],
    [
      "no receipt yet",
      { form: { ...form, receipts: undefined }, history: [] },
      { ...base, payment_name: "uzcard", environment: "sandbox", callbacks: [], receipt: null },
    ],
  ]
  it.each(cases)("%s", (_name, attempt, expected) => {
    expect(formDetails({ ...base, ...attempt })).toEqual(expected)
  })
})
