import { createElement } from "react"
import { renderToStaticMarkup } from "react-dom/server"
import { PAYSYS_MESSAGES } from ".."
import { PaysysDeclined } from "../react/paysys-return"

/*
 * The return page's decline as markup: a storefront lays out the box's children (flex, grid), so
 * the heading and the reason must be one child, or ": <reason>" lands on a line of its own.
 */
describe("PaysysDeclined", () => {
  it("keeps the heading and the reason in one paragraph, the retry link apart", () => {
    const html = renderToStaticMarkup(
      createElement(PaysysDeclined, {
        reason: "Declined by the card issuer",
        text: PAYSYS_MESSAGES.en,
        retry: createElement("a", { href: "/checkout" }, "Try again"),
      })
    )
    expect(html).toBe(
      '<div class="paysys-return paysys-declined" id="payment-error" role="alert">' +
        '<p class="paysys-reason"><strong>The payment did not go through</strong>: Declined by the card issuer</p>' +
        '<div class="paysys-retry"><a href="/checkout">Try again</a></div></div>'
    )
  })
})
