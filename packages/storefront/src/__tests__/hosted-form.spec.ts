import { goToPaysysForm, paysysFormOf, PaysysCheckoutError, PaysysSdk, startPaysysFormSession } from ".."

/* The hosted form's redirect: the session's signed fields, posted as they are, full page. */

type Element = { tag: string; children: Element[]; submitted: boolean; [key: string]: unknown }

function fakeDocument() {
  const body: Element[] = []
  const doc = {
    body: { appendChild: (element: Element) => body.push(element) },
    createElement: (tag: string): Element => {
      const element: Element = { tag, children: [], submitted: false }
      element.appendChild = (child: Element) => element.children.push(child)
      element.submit = () => (element.submitted = true)
      return element
    },
  }
  return { doc: doc as unknown as Document, body }
}

const session = {
  provider_id: "pp_paysys-form_paysys-form",
  data: {
    form_url: "https://paysys.uz/form",
    form_fields: { VENDOR_ID: "101234", MERCHANT_TRANS_ID: "payses_1-1", SIGN_STRING: "abc" },
  },
}

describe("the hosted form's redirect", () => {
  it("posts every signed field, untouched, to the form's URL, full page", () => {
    const { doc, body } = fakeDocument()
    goToPaysysForm(paysysFormOf(session), doc)
    expect(body).toHaveLength(1)
    const [form] = body
    expect(form).toMatchObject({ tag: "form", method: "POST", action: "https://paysys.uz/form", submitted: true })
    expect(form.children.map(({ type, name, value }) => ({ type, name, value }))).toEqual([
      { type: "hidden", name: "VENDOR_ID", value: "101234" },
      { type: "hidden", name: "MERCHANT_TRANS_ID", value: "payses_1-1" },
      { type: "hidden", name: "SIGN_STRING", value: "abc" },
    ])
  })

  it("starts a form session with the return URL and answers its form", async () => {
    const calls: unknown[] = []
    const sdk = {
      store: {
        payment: {
          initiatePaymentSession: async (...args: unknown[]) => {
            calls.push(args[1])
            return { payment_collection: { payment_sessions: [session] } }
          },
        },
      },
    } as unknown as PaysysSdk
    const form = await startPaysysFormSession(sdk, { id: "cart_1" } as never, {
      returnUrl: "https://shop.uz/checkout/paysys-return",
    })
    expect(calls).toEqual([
      { provider_id: "pp_paysys-form_paysys-form", data: { return_url: "https://shop.uz/checkout/paysys-return" } },
    ])
    expect(form.formUrl).toBe("https://paysys.uz/form")
  })

  it("hands over PaySys's widget only when the provider's useWidget put it in the session", () => {
    expect(paysysFormOf(session).widget).toBeUndefined()
    const widget = {
      script_url: "https://paysys.uz/application/resources/js/checkout.js",
      form_url: "https://paysys.uz/pay-universal",
    }
    expect(paysysFormOf({ data: { ...session.data, widget } }).widget).toEqual({
      scriptUrl: widget.script_url,
      formUrl: widget.form_url,
    })
  })

  it("a session without a form is an error the storefront can show", () => {
    expect(() => paysysFormOf({ data: {} })).toThrow(PaysysCheckoutError)
  })
})
