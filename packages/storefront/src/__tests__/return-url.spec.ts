import { payWithCard, PAYSYS_RETURN_PARAM, paysysReturnCartId, paysysReturnUrl, PaysysSdk } from ".."

/* The return URL is seen by PaySys and the bank: it must not carry the cart id. */

const CART_ID = "cart_01JSECRETCARTID0000000000"

function tab() {
  const items = new Map<string, string>()
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
  }
}

describe("paysysReturnUrl / paysysReturnCartId", () => {
  it("puts an opaque reference in the URL, never the cart id; the same tab finds the cart with it", () => {
    const storage = tab()
    const url = paysysReturnUrl("https://shop.example.uz/checkout/paysys-return?lang=ru", CART_ID, storage)
    expect(url).not.toContain(CART_ID)
    expect(url).not.toContain("cart_id")
    const reference = new URL(url).searchParams.get(PAYSYS_RETURN_PARAM)
    expect(reference).toMatch(/^[0-9a-f]{32}$/)
    expect(new URL(url).searchParams.get("lang")).toBe("ru")
    expect(paysysReturnCartId(url, storage)).toBe(CART_ID)
  })

  it("a fresh reference each time; another tab, or a URL without one, finds no cart", () => {
    const storage = tab()
    const first = paysysReturnUrl("https://shop.example.uz/r", CART_ID, storage)
    expect(paysysReturnUrl("https://shop.example.uz/r", CART_ID, storage)).not.toBe(first)
    expect(paysysReturnCartId(first, tab())).toBeNull()
    expect(paysysReturnCartId("https://shop.example.uz/r", storage)).toBeNull()
    expect(paysysReturnCartId(`https://shop.example.uz/r?cart_id=${CART_ID}`, storage)).toBeNull()
  })

  it("without storage (a server) the URL is left as it is", () => {
    expect(paysysReturnUrl("https://shop.example.uz/r", CART_ID, null)).toBe("https://shop.example.uz/r")
  })
})

describe("payWithCard", () => {
  it("gives PaySys a redirect_url without the cart id", async () => {
    const posted: Record<string, unknown>[] = []
    const session = { id: "payses_1", provider_id: "pp_paysys_paysys", amount: 100, data: {} }
    const sdk = {
      store: {
        payment: { initiatePaymentSession: async () => ({ payment_collection: { payment_sessions: [session] } }) },
      },
      client: {
        fetch: async (_path: string, init: { body: Record<string, unknown> }) => {
          posted.push(init.body)
          return { confirm_url: "https://acs.bank.uz/3ds" }
        },
      },
    } as unknown as PaysysSdk
    const cart = { id: CART_ID, total: 100, payment_collection: { payment_sessions: [] } }
    const card = {
      card_holder_name: "AZIZ KARIMOV",
      card_number: "4111111111111111",
      card_expiry: "11/29",
      card_cvc: "737",
    }
    await payWithCard(sdk, cart as never, card, { returnUrl: "https://shop.example.uz/checkout/paysys-return" })
    expect(posted).toHaveLength(1)
    expect(String(posted[0].redirect_url)).toMatch(/^https:\/\/shop\.example\.uz\/checkout\/paysys-return/)
    expect(String(posted[0].redirect_url)).not.toContain(CART_ID)
  })
})
