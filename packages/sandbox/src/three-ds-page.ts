import BigNumber from "bignumber.js"
import { fromMinorUnits, PaysysCurrency } from "../../../src/paysys/currencies"
import { escapeHtml, layout } from "./html"

/*
 * The pages a shopper sees at confirm_url. They work without JavaScript (a plain form POST)
 * and give tests stable hooks:
 *   form#three-ds-form   input#code[name=code]
 *   button#confirm[name=action][value=confirm]   button#cancel[name=action][value=cancel]
 *   #hint (the sandbox code)   #result[data-outcome=success|failure|used|not-found]
 */

export type ThreeDsPageInput = {
  kind: "payment" | "card"
  actionUrl: string
  merchant: string
  description: string | null
  /** minor units; null for a card registration (nothing is charged) */
  amount: string | null
  currency: PaysysCurrency | null
  maskedPan: string
  brand: string
  threeDsCode: string
}

const BRAND_NAMES: Record<string, string> = { visa: "Visa", mastercard: "MasterCard", mir: "MIR" }

export function formatMoney(minor: string, currency: PaysysCurrency): string {
  return `${new BigNumber(fromMinorUnits(minor, currency)).toFormat(2)} ${currency.toUpperCase()}`
}

export function renderThreeDsPage(input: ThreeDsPageInput): string {
  const brand = BRAND_NAMES[input.brand] ?? input.brand
  const what =
    input.kind === "payment"
      ? `<dt>Amount</dt><dd class="amount" id="amount">${escapeHtml(formatMoney(input.amount ?? "0", input.currency ?? "uzs"))}</dd>`
      : `<dt>Operation</dt><dd id="amount">Card registration (no charge)</dd>`
  const description = input.description
    ? `<dt>Description</dt><dd id="description">${escapeHtml(input.description)}</dd>`
    : ""
  const content = `
<section>
  <h1>3-D Secure verification</h1>
  <p class="muted">${escapeHtml(brand)} ${input.kind === "payment" ? "asks you to confirm this payment" : "asks you to confirm saving this card"}.
  Enter the one-time code sent to your phone.</p>
  <dl>
    <dt>Merchant</dt><dd id="merchant">${escapeHtml(input.merchant)}</dd>
    ${what}
    ${description}
    <dt>Card</dt><dd id="card">${escapeHtml(brand)} ${escapeHtml(input.maskedPan)}</dd>
  </dl>
  <form id="three-ds-form" method="post" action="${escapeHtml(input.actionUrl)}">
    <label for="code">One-time code</label>
    <input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code"
           maxlength="16" required autofocus>
    <div class="actions">
      <!-- Confirm comes first: pressing Enter in the code field submits with the first button -->
      <button type="submit" id="confirm" name="action" value="confirm" class="primary">Confirm</button>
      <button type="submit" id="cancel" name="action" value="cancel" class="secondary" formnovalidate>Cancel</button>
    </div>
  </form>
  <p class="hint" id="hint">Sandbox: the code is <strong>${escapeHtml(input.threeDsCode)}</strong></p>
</section>`
  return layout("3-D Secure verification", content)
}

export type ResultPageInput = {
  outcome: "success" | "failure" | "used" | "not-found"
  title: string
  message: string
  details?: Array<[string, string]>
  /** a "back to the shop" link (the payment form's MERCHANT_TRANS_RETURN_URL) */
  returnUrl?: string | null
}

export function renderResultPage(input: ResultPageInput): string {
  const ok = input.outcome === "success"
  const icon = ok ? "&#10003;" : input.outcome === "failure" ? "&#10007;" : "&#9432;"
  const details = input.details?.length
    ? `<dl>${input.details.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join("")}</dl>`
    : ""
  const content = `
<section id="result" data-outcome="${input.outcome}">
  <div class="status ${ok ? "ok" : "bad"}">${icon}</div>
  <h1 id="result-title">${escapeHtml(input.title)}</h1>
  <p id="result-message">${escapeHtml(input.message)}</p>
  ${details}
  ${input.returnUrl ? `<p><a id="return" href="${escapeHtml(input.returnUrl)}">Back to the shop</a></p>` : `<p class="muted">You can close this page.</p>`}
</section>`
  return layout(input.title, content)
}

export function renderAlreadyUsedPage(): string {
  return renderResultPage({
    outcome: "used",
    title: "This verification was already completed",
    message: "This 3-D Secure link has been used. Nothing was changed. Return to the shop to see the result.",
  })
}

export function renderNotFoundPage(): string {
  return renderResultPage({
    outcome: "not-found",
    title: "Verification not found",
    message: "This 3-D Secure link is unknown or expired (the sandbox may have been reset).",
  })
}
