import BigNumber from "bignumber.js"
import { FORM_PAYMENT_SYSTEMS } from "./form-cards"
import { FormPayment } from "./form-state"
import { escapeHtml, layout } from "./html"
import { renderResultPage } from "./three-ds-page"

/*
 * The payment form's pages, like PaySys's: the card number and expiry,
 * then an SMS code, then the result with a link back to the shop. No JavaScript. Hooks:
 *   form#card-form input#card-number[name=card_number] input#card-expiry[name=card_expiry] button#pay
 *   form#sms-form input#sms-code[name=code] button#confirm
 *   #form-error (a refused input)   #result[data-outcome=success|failure|not-found]   a#return
 */

export function formatFormAmount(payment: Pick<FormPayment, "amount" | "currency">): string {
  return `${new BigNumber(payment.amount).toFormat(0, { groupSeparator: " ", groupSize: 3, decimalSeparator: "." })} ${payment.currency}`
}

function summary(payment: FormPayment, merchant: string): string {
  return `<dl>
    <dt>Merchant</dt><dd id="merchant">${escapeHtml(merchant)}</dd>
    <dt>Order</dt><dd id="order">${escapeHtml(payment.merchantTransId)}</dd>
    <dt>Amount</dt><dd class="amount" id="amount">${escapeHtml(formatFormAmount(payment))}</dd>
    <dt>Note</dt><dd id="note">${escapeHtml(payment.note)}</dd>
  </dl>`
}

const errorLine = (error: string | null) => (error ? `<p class="bad" id="form-error">${escapeHtml(error)}</p>` : "")

export function renderCardPage(payment: FormPayment, merchant: string, error: string | null = null): string {
  const systems = Object.values(FORM_PAYMENT_SYSTEMS)
    .map((s) => s.title)
    .join(", ")
  return layout(
    "Payment",
    `<section>
  <h1>Pay by card</h1>
  <p class="muted">${escapeHtml(systems)}</p>
  ${summary(payment, merchant)}
  ${errorLine(error)}
  <form id="card-form" method="post" action="/form/${escapeHtml(payment.formId)}/card">
    <label for="card-number">Card number</label>
    <input type="text" id="card-number" name="card_number" inputmode="numeric" autocomplete="cc-number" maxlength="23" required autofocus>
    <label for="card-expiry">Expiry</label>
    <input type="text" id="card-expiry" name="card_expiry" placeholder="__/__" autocomplete="cc-exp" maxlength="5" required>
    <div class="actions"><button type="submit" id="pay" class="primary">Continue</button></div>
  </form>
  <p class="hint" id="hint">Sandbox: UzCard 8600000000000001, HUMO 9860000000000001, Visa 4111111111111111, any future expiry.</p>
</section>`
  )
}

export function renderSmsPage(payment: FormPayment, merchant: string, code: string): string {
  const card = payment.card
  return layout(
    "SMS confirmation",
    `<section>
  <h1>SMS confirmation</h1>
  <p class="muted">Enter the code sent to the phone of ${escapeHtml(card ? `${FORM_PAYMENT_SYSTEMS[card.system].title} ${card.masked}` : "the card")}.</p>
  ${summary(payment, merchant)}
  <form id="sms-form" method="post" action="/form/${escapeHtml(payment.formId)}/sms">
    <label for="sms-code">SMS code</label>
    <input type="text" id="sms-code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="16" required autofocus>
    <div class="actions"><button type="submit" id="confirm" class="primary">Pay</button></div>
  </form>
  <p class="hint" id="hint">Sandbox: the code is <strong>${escapeHtml(code)}</strong></p>
</section>`
  )
}

/** The result, as PaySys shows it: masked card, merchant, order id, amount, and the way back. */
export function renderFormResultPage(payment: FormPayment, vendorId: string): string {
  const details: Array<[string, string]> = [
    ["Merchant", vendorId],
    ["ID", payment.merchantTransId],
    ["Amount", formatFormAmount(payment)],
  ]
  if (payment.card) {
    details.unshift(["Card", payment.card.masked])
  }
  const ok = payment.status === "paid" || payment.status === "cancelled"
  return renderResultPage({
    outcome: ok ? "success" : "failure",
    title: ok ? "Payment completed" : "Payment failed",
    message: ok ? "The payment was made." : (payment.failure ?? "The payment was not completed."),
    details,
    returnUrl: payment.returnUrl,
  })
}

/** The merchant's fields were refused: names the field, never echoes a value. */
export function renderFormRefusedPage(message: string): string {
  return renderResultPage({ outcome: "failure", title: "The payment cannot start", message })
}
