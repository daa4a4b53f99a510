import { escapeHtml, layout } from "./html"
import { FORM_PAYMENT_SYSTEMS, FORM_TEST_CARDS } from "./form-cards"
import { TEST_CARDS } from "./test-cards"

/** GET /: what this is, where the gateway is, the credentials and the test cards. */
export function renderIndexPage(input: {
  gatewayUrl: string
  serviceId: string
  secretKey: string
  vendorId: string
  threeDsCode: string
  notifyUrl: string | null
  cardNotifyUrl: string | null
  form: { formUrl: string; statusUrl: string; vendorId: string; secretKey: string; merchantApiUrl: string | null }
}): string {
  const formCards = FORM_TEST_CARDS.map(
    (card) =>
      `<tr><td><code>${card.number}</code></td><td>${escapeHtml(FORM_PAYMENT_SYSTEMS[card.system].title)}</td><td>${escapeHtml(card.description)}</td></tr>`
  ).join("")
  const form = input.form
  const cards = TEST_CARDS.map(
    (card) =>
      `<tr><td><code>${card.number}</code></td><td>${escapeHtml(card.brand)}</td><td>${escapeHtml(card.description)}</td></tr>`
  ).join("")
  const content = `
<section>
  <h1>PaySys sandbox</h1>
  <p>A local, stateful emulator of the <strong>PaySys</strong> host-to-host card API (Uzbekistan):
  payments with 3-D Secure, saved cards, cancellations, refunds and the callbacks to the merchant.
  Nothing here is real money.</p>
  <dl>
    <dt>Gateway</dt><dd><code id="gateway-url">POST ${escapeHtml(input.gatewayUrl)}</code></dd>
    <dt>service_id</dt><dd><code>${escapeHtml(input.serviceId)}</code></dd>
    <dt>secret_key</dt><dd><code>${escapeHtml(input.secretKey)}</code></dd>
    <dt>vendor_id</dt><dd><code>${escapeHtml(input.vendorId)}</code></dd>
    <dt>3-D Secure code</dt><dd><code>${escapeHtml(input.threeDsCode)}</code></dd>
    <dt>Status notifications</dt><dd>${input.notifyUrl ? `<code>${escapeHtml(input.notifyUrl)}</code>` : "not sent (no notifyUrl)"}</dd>
    <dt>Card notifications</dt><dd>${input.cardNotifyUrl ? `<code>${escapeHtml(input.cardNotifyUrl)}</code>` : "not sent (no cardNotifyUrl)"}</dd>
  </dl>
  <p>Sign every call with <code>Auth: &lt;service_id&gt;-&lt;sha1(secret_key + timestamp_ms)&gt;-&lt;timestamp_ms&gt;</code>.</p>
  <h1>Test cards</h1>
  <p class="muted">Any future expiry, any 3-digit CVC. Any other Luhn-valid Visa, MasterCard or MIR number is approved.</p>
  <table id="test-cards"><thead><tr><th>Number</th><th>Brand</th><th>Outcome</th></tr></thead><tbody>${cards}</tbody></table>
  <h1>Payment form</h1>
  <p class="muted">PaySys's hosted form: the shopper types the card and an SMS code here; the sandbox
  then calls the merchant API, signed with the form's SECRET_KEY.</p>
  <dl>
    <dt>Form URL</dt><dd><code id="form-url">POST ${escapeHtml(form.formUrl)}</code></dd>
    <dt>Status API</dt><dd><code>POST ${escapeHtml(form.statusUrl)}</code></dd>
    <dt>VENDOR_ID</dt><dd><code>${escapeHtml(form.vendorId)}</code></dd>
    <dt>SECRET_KEY</dt><dd><code>${escapeHtml(form.secretKey)}</code></dd>
    <dt>SMS code</dt><dd><code>${escapeHtml(input.threeDsCode)}</code></dd>
    <dt>Merchant API</dt><dd>${form.merchantApiUrl ? `<code>${escapeHtml(form.merchantApiUrl)}/{info,pay,notify,cancel,statement,fiscalization}</code>` : "not called (no merchantApiUrl)"}</dd>
  </dl>
  <table id="form-test-cards"><thead><tr><th>Number</th><th>System</th><th>Outcome</th></tr></thead><tbody>${formCards}</tbody></table>
  <p>Control API (JSON): <a href="/__sandbox"><code>/__sandbox</code></a>, e.g.
  <a href="/__sandbox/transactions"><code>/__sandbox/transactions</code></a>,
  <a href="/__sandbox/calls"><code>/__sandbox/calls</code></a>,
  <a href="/__sandbox/notifications"><code>/__sandbox/notifications</code></a>.</p>
</section>`
  return layout("PaySys sandbox", content, { wide: true })
}
