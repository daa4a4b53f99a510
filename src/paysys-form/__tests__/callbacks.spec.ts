import { DEFAULT_SIGN_TIME_MAX_SKEW_MS, STATEMENT_MAX_WINDOW_MS } from "../assumptions"
import {
  parseMerchantCallback,
  readCallbackBody,
  signedRequest,
  signTimeToMs,
  statementWindowProblem,
} from "../callbacks"
import { FORM_ERRORS, formErrorAnswer, formErrorKeyOf, formSuccessAnswer } from "../error-codes"
import { infoAnswer, payAnswer, statementAnswer } from "../schemas"

const SECRET = "demoSecret#2024!"
/** The worked vectors are from 2024: read without the freshness check, which has its own tests. */
const UNDATED = { secretKey: SECRET, signTimeMaxSkewMs: null }

/** One signed request per callback, as PaySys sends them (numbers where its examples have numbers). */
const REQUESTS = {
  info: () => signedRequest("info", SECRET, { MERCHANT_TRANS_ID: "ORD-5001", SIGN_TIME: 1732406460123 }),
  pay: () =>
    signedRequest("pay", SECRET, {
      VENDOR_ID: 101234,
      PAYMENT_ID: 9,
      PAYMENT_NAME: "uzcard",
      AGR_TRANS_ID: 987654321,
      MERCHANT_TRANS_ID: "ORD-5001",
      MERCHANT_TRANS_AMOUNT: 150000,
      ENVIRONMENT: "sandbox",
      SIGN_TIME: 1732406470456,
    }),
  notify: () =>
    signedRequest("notify", SECRET, {
      AGR_TRANS_ID: 987654321,
      VENDOR_TRANS_ID: 5001,
      STATUS: 2,
      SIGN_TIME: 1732406480789,
    }),
  cancel: () =>
    signedRequest("cancel", SECRET, { AGR_TRANS_ID: 987654321, VENDOR_TRANS_ID: 5001, SIGN_TIME: 1732492790000 }),
  statement: () =>
    signedRequest("statement", SECRET, { FROM: 1730419200000, TO: 1733011199999, SIGN_TIME: 1733011200000 }),
  fiscalization: () =>
    signedRequest("fiscalization", SECRET, { AGR_TRANS_ID: 987654321, TYPE: "PAYMENT", SIGN_TIME: 1732406500000 }),
} as const

type Callback = keyof typeof REQUESTS
const CALLBACKS = Object.keys(REQUESTS) as Callback[]

describe("reading the merchant-API callbacks", () => {
  it("signs the documented vectors' requests as the spec shows", () => {
    expect(REQUESTS.pay().SIGN_STRING).toBe("c3784c0960760938ef2051dfa463c97b")
    expect(REQUESTS.notify().SIGN_STRING).toBe("73fd98730b4bdbf606dff278338ea8d8")
  })

  describe.each(CALLBACKS)("%s", (callback) => {
    it("accepts the signed request, as JSON and as form-encoded, keeping ids as decimal text", () => {
      const body = REQUESTS[callback]()
      const fromJson = parseMerchantCallback(callback, JSON.stringify(body), UNDATED)
      expect(fromJson).toMatchObject({ ok: true })
      const form = new URLSearchParams(Object.entries(body).map(([k, v]) => [k, String(v)])).toString()
      const fromForm = parseMerchantCallback(callback, form, {
        ...UNDATED,
        contentType: "application/x-www-form-urlencoded",
      })
      expect(fromForm).toEqual(fromJson)
      const request = (fromJson as { request: Record<string, unknown> }).request
      expect(request.SIGN_TIME).toEqual(String(body.SIGN_TIME))
    })

    it("answers -1 SIGN CHECK FAILED to a wrong signature or another secret", () => {
      const body = { ...REQUESTS[callback](), SIGN_STRING: "0".repeat(32) }
      expect(parseMerchantCallback(callback, body, UNDATED)).toMatchObject({
        ok: false,
        answer: { ERROR: -1, ERROR_NOTE: "SIGN CHECK FAILED!" },
        field: "SIGN_STRING",
      })
      expect(parseMerchantCallback(callback, REQUESTS[callback](), { secretKey: "another" })).toMatchObject({
        ok: false,
        answer: { ERROR: -1 },
      })
    })

    it("answers -8 to a garbage body, naming nothing", () => {
      expect(parseMerchantCallback(callback, "this is not JSON", UNDATED)).toEqual({
        ok: false,
        answer: { ERROR: -8, ERROR_NOTE: "Error in request" },
        field: null,
        reason: expect.any(String),
      })
      expect(parseMerchantCallback(callback, "[1,2]", UNDATED)).toMatchObject({ ok: false, answer: { ERROR: -8 } })
    })

    it("answers -8 to a missing SIGN_TIME, naming it", () => {
      const { SIGN_TIME: _dropped, ...body } = REQUESTS[callback]()
      expect(parseMerchantCallback(callback, body, UNDATED)).toMatchObject({
        ok: false,
        answer: { ERROR: -8 },
        field: "SIGN_TIME",
      })
    })
  })

  it("names the field of a bad value: Pay's ENVIRONMENT, Notify's STATUS, an id that is not a number", () => {
    const pay = { ...REQUESTS.pay(), ENVIRONMENT: "prod" }
    expect(parseMerchantCallback("pay", pay, UNDATED)).toMatchObject({
      ok: false,
      answer: { ERROR: -8 },
      field: "ENVIRONMENT",
    })
    const notify = { ...REQUESTS.notify(), STATUS: 5 }
    expect(parseMerchantCallback("notify", notify, UNDATED)).toMatchObject({
      ok: false,
      answer: { ERROR: -8 },
      field: "STATUS",
    })
    const cancel = { ...REQUESTS.cancel(), AGR_TRANS_ID: "12a" }
    expect(parseMerchantCallback("cancel", cancel, UNDATED)).toMatchObject({ ok: false, field: "AGR_TRANS_ID" })
    const fractional = { ...REQUESTS.pay(), MERCHANT_TRANS_AMOUNT: 1500.5 }
    expect(parseMerchantCallback("pay", fractional, UNDATED)).toMatchObject({
      ok: false,
      field: "MERCHANT_TRANS_AMOUNT",
    })
  })

  it("reads the doc's Info example, whose MERCHANT_TRANS_ID is the number 7, as the string 7", () => {
    const body = signedRequest("info", SECRET, { MERCHANT_TRANS_ID: 7, SIGN_TIME: 1503638389658 })
    expect(parseMerchantCallback("info", body, UNDATED)).toMatchObject({
      ok: true,
      request: { MERCHANT_TRANS_ID: "7" },
    })
  })

  it("keeps Pay's MERCHANT_TRANS_DATA outside the signature", () => {
    const body = { ...REQUESTS.pay(), MERCHANT_TRANS_DATA: "eyJrZXkxIjoidmFsdWUxIn0=" }
    expect(parseMerchantCallback("pay", body, UNDATED)).toMatchObject({
      ok: true,
      request: { MERCHANT_TRANS_DATA: "eyJrZXkxIjoidmFsdWUxIn0=" },
    })
  })

  it("answers -11 to a Fiscalization TYPE other than PAYMENT or CANCEL, once signed", () => {
    const body = signedRequest("fiscalization", SECRET, { AGR_TRANS_ID: 1, TYPE: "REFUND", SIGN_TIME: 1732406500000 })
    expect(parseMerchantCallback("fiscalization", body, UNDATED)).toMatchObject({
      ok: false,
      answer: { ERROR: -11, ERROR_NOTE: "Transaction type is not correct" },
      field: "TYPE",
    })
    const cancel = signedRequest("fiscalization", SECRET, { AGR_TRANS_ID: 1, TYPE: "CANCEL", SIGN_TIME: 1732406500000 })
    expect(parseMerchantCallback("fiscalization", cancel, UNDATED)).toMatchObject({ ok: true })
  })

  it("checks SIGN_TIME's freshness only when asked, reading seconds as seconds", () => {
    const body = REQUESTS.notify()
    const now = 1732406480789
    expect(
      parseMerchantCallback("notify", body, { secretKey: SECRET, signTimeMaxSkewMs: 60_000, now: now + 59_000 })
    ).toMatchObject({ ok: true })
    expect(
      parseMerchantCallback("notify", body, { secretKey: SECRET, signTimeMaxSkewMs: 60_000, now: now + 61_000 })
    ).toMatchObject({
      ok: false,
      answer: { ERROR: -1 },
      field: "SIGN_TIME",
    })
    expect(signTimeToMs("1732406480")).toBe(1732406480000)
    expect(signTimeToMs(1732406480789)).toBe(1732406480789)
  })

  it("checks SIGN_TIME's freshness by default, within 10 minutes either way", () => {
    const body = REQUESTS.notify()
    const signedAt = 1732406480789
    expect(DEFAULT_SIGN_TIME_MAX_SKEW_MS).toBe(600_000)
    expect(parseMerchantCallback("notify", body, { secretKey: SECRET, now: signedAt - 599_000 })).toMatchObject({
      ok: true,
    })
    expect(parseMerchantCallback("notify", body, { secretKey: SECRET, now: signedAt + 601_000 })).toMatchObject({
      ok: false,
      answer: { ERROR: -1 },
      field: "SIGN_TIME",
    })
    // a call recorded in 2001 and played back now
    const old = signedRequest("notify", SECRET, {
      AGR_TRANS_ID: 987654321,
      VENDOR_TRANS_ID: 5001,
      STATUS: 2,
      SIGN_TIME: Date.UTC(2001, 10, 1),
    })
    expect(parseMerchantCallback("notify", old, { secretKey: SECRET })).toMatchObject({
      ok: false,
      answer: { ERROR: -1 },
      field: "SIGN_TIME",
    })
    const secondsNow = Math.floor(Date.now() / 1000)
    const inSeconds = signedRequest("notify", SECRET, {
      AGR_TRANS_ID: 987654321,
      VENDOR_TRANS_ID: 5001,
      STATUS: 2,
      SIGN_TIME: secondsNow,
    })
    expect(parseMerchantCallback("notify", inSeconds, { secretKey: SECRET })).toMatchObject({ ok: true })
  })

  it.each([
    ["14 digits (a Notify's STATUS moved into it)", "21732406480789"],
    ["12 digits", "173240648078"],
    ["11 digits", "17324064807"],
    ["9 digits", "173240648"],
    ["a leading zero", "0173240648078"],
    ["a sign", "-1732406480789"],
    ["a fraction", "1732406480.789"],
    ["an exponent", "1.732406480789e12"],
    ["spaces", " 1732406480789"],
  ])("refuses a SIGN_TIME of %s with -8, before the signature is looked at", (_, signTime) => {
    const body = signedRequest("cancel", SECRET, {
      AGR_TRANS_ID: 987654321,
      VENDOR_TRANS_ID: 5001,
      SIGN_TIME: signTime,
    })
    expect(parseMerchantCallback("cancel", body, UNDATED)).toMatchObject({
      ok: false,
      answer: { ERROR: -8 },
      field: "SIGN_TIME",
    })
  })

  it("refuses the re-split of a real Notify as a Cancel: the signature fits, the SIGN_TIME's shape does not", () => {
    const notify = REQUESTS.notify()
    const forged = {
      AGR_TRANS_ID: notify.AGR_TRANS_ID,
      VENDOR_TRANS_ID: notify.VENDOR_TRANS_ID,
      SIGN_TIME: `2${notify.SIGN_TIME}`,
      SIGN_STRING: notify.SIGN_STRING,
    }
    expect(signedRequest("cancel", SECRET, forged).SIGN_STRING).toBe(notify.SIGN_STRING)
    expect(parseMerchantCallback("cancel", forged, UNDATED)).toMatchObject({
      ok: false,
      answer: { ERROR: -8 },
      field: "SIGN_TIME",
    })
  })

  it.each([
    ["AGR_TRANS_ID", "0987654321"],
    ["AGR_TRANS_ID", 0],
    ["VENDOR_TRANS_ID", "05001"],
    ["VENDOR_TRANS_ID", "+5001"],
    ["STATUS", "02"],
    ["STATUS", "23"],
    ["STATUS", 1],
  ])("gives every field one spelling: Notify's %s %p is refused with -8", (field, value) => {
    const body = { ...REQUESTS.notify(), [field]: value }
    expect(parseMerchantCallback("notify", body, UNDATED)).toMatchObject({ ok: false, answer: { ERROR: -8 }, field })
  })

  it("refuses a Statement window longer than 31 days or upside down with -8, once signed", () => {
    const from = 1730419200000
    const statement = (to: number) =>
      signedRequest("statement", SECRET, { FROM: from, TO: to, SIGN_TIME: 1733011200000 })
    expect(parseMerchantCallback("statement", statement(from + STATEMENT_MAX_WINDOW_MS), UNDATED)).toMatchObject({
      ok: true,
    })
    expect(parseMerchantCallback("statement", statement(from + STATEMENT_MAX_WINDOW_MS + 1), UNDATED)).toMatchObject({
      ok: false,
      answer: { ERROR: -8 },
      field: "TO",
    })
    expect(parseMerchantCallback("statement", statement(from - 1), UNDATED)).toMatchObject({
      ok: false,
      answer: { ERROR: -8 },
      field: "TO",
    })
    expect(statementWindowProblem({ FROM: "9", TO: "8765432150012" })?.reason).toMatch(/longer than 31 days/)
  })

  it("reads JSON first, form-encoded as a fallback, and nothing else", () => {
    expect(readCallbackBody('{"A":1}')).toEqual({ A: 1 })
    expect(readCallbackBody("A=1&B=x", "application/x-www-form-urlencoded")).toEqual({ A: "1", B: "x" })
    expect(readCallbackBody("A=1")).toEqual({ A: "1" })
    expect(readCallbackBody("garbage")).toBeNull()
    expect(readCallbackBody("null")).toBeNull()
  })
})

describe("merchant answers", () => {
  it("builds the documented answers and they pass the answer schemas", () => {
    expect(formSuccessAnswer({ VENDOR_TRANS_ID: 5001 })).toEqual({
      ERROR: 0,
      ERROR_NOTE: "Success",
      VENDOR_TRANS_ID: 5001,
    })
    expect(payAnswer.parse(formSuccessAnswer({ VENDOR_TRANS_ID: 5001 }))).toMatchObject({ VENDOR_TRANS_ID: 5001 })
    expect(payAnswer.parse(formErrorAnswer("INCORRECT_AMOUNT"))).toEqual({
      ERROR: -2,
      ERROR_NOTE: "Incorrect parameter amount",
    })
    expect(infoAnswer.parse(formSuccessAnswer({ PARAMETERS: { order: "ORD-5001", amount: 150000 } }))).toBeTruthy()
    expect(
      statementAnswer.parse({
        ERROR: 0,
        ERROR_NOTE: "Success",
        TRANSACTIONS: [
          {
            ENVIRONMENT: "sandbox",
            AGR_TRANS_ID: 987654321,
            VENDOR_TRANS_ID: 5001,
            MERCHANT_TRANS_ID: "ORD-5001",
            MERCHANT_TRANS_AMOUNT: 150000,
            STATE: 2,
            DATE: 1732406470456,
          },
        ],
      }).TRANSACTIONS
    ).toHaveLength(1)
  })

  it("refuses answers naming the field: a success Pay without an integer VENDOR_TRANS_ID, a Statement line with STATE 1", () => {
    const noId = payAnswer.safeParse({ ERROR: 0, ERROR_NOTE: "Success" })
    expect(noId.success).toBe(false)
    expect(noId.error?.issues[0].path).toEqual(["VENDOR_TRANS_ID"])
    const stringId = payAnswer.safeParse({ ERROR: 0, ERROR_NOTE: "Success", VENDOR_TRANS_ID: "pay_01J" })
    expect(stringId.error?.issues[0].path).toEqual(["VENDOR_TRANS_ID"])
    const badLine = statementAnswer.safeParse({
      ERROR: 0,
      ERROR_NOTE: "Success",
      TRANSACTIONS: [
        {
          ENVIRONMENT: "sandbox",
          AGR_TRANS_ID: 1,
          VENDOR_TRANS_ID: 1,
          MERCHANT_TRANS_ID: "x",
          MERCHANT_TRANS_AMOUNT: 1,
          STATE: 1,
          DATE: 1,
        },
      ],
    })
    expect(badLine.error?.issues[0].path).toEqual(["TRANSACTIONS", 0, "STATE"])
  })

  it("lists every documented code with its note", () => {
    expect(Object.values(FORM_ERRORS).map((e) => e.ERROR)).toEqual([0, -1, -2, -3, -4, -5, -6, -7, -8, -9, -10, -11])
    expect(formErrorKeyOf(-5)).toBe("USER_NOT_FOUND")
    expect(formErrorKeyOf(-99)).toBeNull()
  })
})
