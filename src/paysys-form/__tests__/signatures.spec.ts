import { isFormSignatureValid, signatureBase, signedFields, signFormMessage } from "../signatures"

/** Every worked signature vector of PaySys's form documentation, with the hashed string it shows. */
const SECRET = "demoSecret#2024!"

const VECTORS = [
  {
    name: "form opening, the documentation's own example",
    message: "form",
    secret: "#Feiz!ahdahweig7?Choot#3AiL6p--ooF6e",
    values: {
      VENDOR_ID: 1591864,
      MERCHANT_TRANS_ID: "AB772059",
      MERCHANT_TRANS_AMOUNT: 1000,
      MERCHANT_CURRENCY: "sum",
      SIGN_TIME: 1480056082732,
    },
    base: "#Feiz!ahdahweig7?Choot#3AiL6p--ooF6e1591864AB7720591000sum1480056082732",
    md5: "2e483be74e568b4d7d4a7d9421f404fc",
  },
  {
    name: "form opening, UZS",
    message: "form",
    secret: SECRET,
    values: {
      VENDOR_ID: "101234",
      MERCHANT_TRANS_ID: "ORD-5001",
      MERCHANT_TRANS_AMOUNT: "150000",
      MERCHANT_CURRENCY: "sum",
      SIGN_TIME: "1732406400000",
    },
    base: "demoSecret#2024!101234ORD-5001150000sum1732406400000",
    md5: "6b3164ba1bd24c6822fce6e5dc69b195",
  },
  {
    name: "form opening, USD",
    message: "form",
    secret: SECRET,
    values: {
      VENDOR_ID: "101234",
      MERCHANT_TRANS_ID: "ORD-5002",
      MERCHANT_TRANS_AMOUNT: "25",
      MERCHANT_CURRENCY: "usd",
      SIGN_TIME: "1732406400000",
    },
    base: "demoSecret#2024!101234ORD-500225usd1732406400000",
    md5: "8a08ad573d80dc858ce763713c119e47",
  },
  {
    name: "Info",
    message: "info",
    secret: SECRET,
    values: { MERCHANT_TRANS_ID: "ORD-5001", SIGN_TIME: 1732406460123 },
    base: "demoSecret#2024!ORD-50011732406460123",
    md5: "7ca805f079fe053d8bd82b93cf0ea337",
  },
  {
    name: "Pay",
    message: "pay",
    secret: SECRET,
    values: {
      AGR_TRANS_ID: 987654321,
      VENDOR_ID: 101234,
      PAYMENT_ID: 9,
      PAYMENT_NAME: "uzcard",
      MERCHANT_TRANS_ID: "ORD-5001",
      MERCHANT_TRANS_AMOUNT: 150000,
      ENVIRONMENT: "sandbox",
      SIGN_TIME: 1732406470456,
    },
    base: "demoSecret#2024!9876543211012349uzcardORD-5001150000sandbox1732406470456",
    md5: "c3784c0960760938ef2051dfa463c97b",
  },
  {
    name: "Notify STATUS 2",
    message: "notify",
    secret: SECRET,
    values: { AGR_TRANS_ID: 987654321, VENDOR_TRANS_ID: 5001, STATUS: 2, SIGN_TIME: 1732406480789 },
    base: "demoSecret#2024!987654321500121732406480789",
    md5: "73fd98730b4bdbf606dff278338ea8d8",
  },
  {
    name: "Notify STATUS 3",
    message: "notify",
    secret: SECRET,
    values: { AGR_TRANS_ID: 987654321, VENDOR_TRANS_ID: 5001, STATUS: 3, SIGN_TIME: 1732492800000 },
    base: "demoSecret#2024!987654321500131732492800000",
    md5: "8af0d5f0231e6057242e37ac8a343a29",
  },
  {
    name: "Cancel",
    message: "cancel",
    secret: SECRET,
    values: { AGR_TRANS_ID: 987654321, VENDOR_TRANS_ID: 5001, SIGN_TIME: 1732492790000 },
    base: "demoSecret#2024!98765432150011732492790000",
    md5: "d38a6dc5a354560b937d75afdf24c890",
  },
  {
    name: "Statement",
    message: "statement",
    secret: SECRET,
    values: { FROM: 1730419200000, TO: 1733011199999, SIGN_TIME: 1733011200000 },
    base: "demoSecret#2024!173041920000017330111999991733011200000",
    md5: "3be9021cd058ed7aa93200c25e98a3fa",
  },
  {
    name: "Fiscalization",
    message: "fiscalization",
    secret: SECRET,
    values: { AGR_TRANS_ID: 987654321, TYPE: "PAYMENT", SIGN_TIME: 1732406500000 },
    base: "demoSecret#2024!987654321PAYMENT1732406500000",
    md5: "1ea9e9188d955415d231cd6d2d828d87",
  },
  {
    name: "Fiscalization, the documentation's example (empty secret)",
    message: "fiscalization",
    secret: "",
    values: { AGR_TRANS_ID: 1503642925905, TYPE: "PAYMENT", SIGN_TIME: 1503642926295 },
    base: "1503642925905PAYMENT1503642926295",
    md5: "4b9c9e9b37611e2194f67dbcefc40bb9",
  },
  {
    name: "status API",
    message: "status",
    secret: SECRET,
    values: { AGR_TRANS_ID: 987654321, VENDOR_ID: 101234, PAYMENT_ID: 9, SIGN_TIME: 1732406490000 },
    base: "demoSecret#2024!98765432110123491732406490000",
    md5: "d228c0f1e5db5b29ff44cb4e00bef302",
  },
] as const

describe("PaySys form signatures: the documentation's worked vectors", () => {
  it.each(VECTORS)("$name", ({ message, secret, values, base, md5 }) => {
    expect(signatureBase(message, secret, values as never)).toBe(base)
    expect(signFormMessage(message, secret, values as never)).toBe(md5)
    expect(isFormSignatureValid(message, secret, values as never, md5)).toBe(true)
    expect(isFormSignatureValid(message, secret, values as never, md5.toUpperCase())).toBe(true)
  })

  it("refuses another secret, a changed field, a truncated or non-hex signature", () => {
    const pay = VECTORS[4]
    expect(isFormSignatureValid("pay", "other", pay.values, pay.md5)).toBe(false)
    expect(isFormSignatureValid("pay", SECRET, { ...pay.values, MERCHANT_TRANS_AMOUNT: 150001 }, pay.md5)).toBe(false)
    expect(isFormSignatureValid("pay", SECRET, pay.values, pay.md5.slice(0, 31))).toBe(false)
    expect(isFormSignatureValid("pay", SECRET, pay.values, "z".repeat(32))).toBe(false)
    expect(isFormSignatureValid("pay", SECRET, pay.values, undefined)).toBe(false)
  })

  it("signs the posted text, so 150000.00 is not 150000", () => {
    const values = { ...VECTORS[1].values, MERCHANT_TRANS_AMOUNT: "150000.00" }
    expect(signFormMessage("form", SECRET, values)).not.toBe(VECTORS[1].md5)
  })

  it("names the signed fields' text, which a re-split of the same digits changes though its signature does not", () => {
    const notify = { AGR_TRANS_ID: 987654321, VENDOR_TRANS_ID: 5001, STATUS: 2, SIGN_TIME: 1732406480789 }
    expect(signedFields("notify", notify)).toEqual({
      AGR_TRANS_ID: "987654321",
      VENDOR_TRANS_ID: "5001",
      STATUS: "2",
      SIGN_TIME: "1732406480789",
    })
    const cancel = { AGR_TRANS_ID: 987654321, VENDOR_TRANS_ID: 50012, SIGN_TIME: 1732406480789 }
    expect(signFormMessage("cancel", SECRET, cancel)).toBe(signFormMessage("notify", SECRET, notify))
    expect(signedFields("cancel", cancel)).not.toEqual(signedFields("notify", notify))
  })
})
