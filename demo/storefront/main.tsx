/*
 * A PaySys checkout with @medusajs/js-sdk and the plugin's storefront kit: the reference integration.
 *
 *   products (per region) -> cart -> address -> shipping -> payment, by the methods the region offers:
 *   card:  the kit's CardForm -> payWithCard: the card to the plugin's route -> the bank's 3-D Secure page
 *   form:  startPaysysFormSession + goToPaysysForm -> PaySys's payment page (UzCard, HUMO, ...)
 *   -> back to /checkout/paysys-return (the kit's PaysysReturn completes the cart) -> confirmation
 *
 * Signed-in customers (/account) save cards and pay with them (the kit's SavedCardPicker and
 * payWithSavedCard). The kit's parts speak English, Russian or Uzbek (the language select).
 * The rest is an ordinary Medusa storefront kept as small as possible (plain DOM, no framework).
 * It imports the kit as a store does, `medusa-payment-paysys-storefront` and `.../react` (here the
 * workspace package, built by `npm run demo`).
 */
import Medusa from "@medusajs/js-sdk"
import type { HttpTypes } from "@medusajs/types"
import type { ReactNode } from "react"
import { createRoot, Root } from "react-dom/client"
import {
  CardInputFields,
  declineReason,
  goToPaysysForm,
  goToThreeDSecure,
  payWithCard,
  PAYSYS_FORM_PROVIDER_ID,
  PAYSYS_PROVIDER_ID,
  PaysysCheckoutError,
  PaysysLanguage,
  messageOf,
  paysysMessages,
  paysysReturnCartId,
  paysysReturnUrl,
  payWithSavedCard,
  saveCard,
  startPaysysFormSession,
  waitForSavedCard,
} from "medusa-payment-paysys-storefront"
import { CardForm, PaysysReturn, SavedCardPicker } from "medusa-payment-paysys-storefront/react"

/**
 * Where PaySys sends the shopper back, after 3-D Secure or from its payment page; must be on one
 * of the store's CORS origins. One return page for both methods.
 */
const RETURN_PATH = "/checkout/paysys-return"

/** The cart's default fields, plus line totals and the shipping method's name for the summary. */
const CART_FIELDS = "+items.total,+shipping_methods.name"
const CART_KEY = "paysys-demo:cart-id"
const REGION_KEY = "paysys-demo:currency"
const LANGUAGE_KEY = "paysys-demo:language"

/** The two ways to pay: the card typed here (host-to-host, PCI DSS), or on PaySys's page (the hosted form). */
type PaymentMethod = "card" | "form"

/** The PaySys sandbox's test cards (src/sandbox/README.md); the 3-D Secure code is 123456. */
const TEST_CARDS = [
  { number: "4111 1111 1111 1111", brand: "Visa", outcome: "approved" },
  { number: "5555 5555 5555 4444", brand: "MasterCard", outcome: "approved" },
  { number: "2200 0000 0000 0004", brand: "MIR", outcome: "approved" },
  { number: "4000 0000 0000 0002", brand: "Visa", outcome: "declined by the issuer" },
  { number: "4000 0000 0000 9995", brand: "Visa", outcome: "insufficient funds" },
  { number: "4000 0000 0000 0101", brand: "Visa", outcome: "3-D Secure fails" },
]

type Address = {
  email: string
  first_name: string
  last_name: string
  address_1: string
  city: string
  postal_code: string
  country_code: string
  phone: string
}

/** A prefilled address per region, so the demo is a few clicks. */
const ADDRESSES: Record<string, Address> = {
  uz: {
    email: "aziz@example.uz",
    first_name: "Aziz",
    last_name: "Karimov",
    address_1: "Navoi 10",
    city: "Tashkent",
    postal_code: "100000",
    country_code: "uz",
    phone: "+998 90 123 45 67",
  },
  kz: {
    email: "aigerim@example.kz",
    first_name: "Aigerim",
    last_name: "Nurlanova",
    address_1: "Abay 10",
    city: "Almaty",
    postal_code: "050000",
    country_code: "kz",
    phone: "+7 701 123 45 67",
  },
}

const app = document.querySelector<HTMLElement>("#app")!
let sdk: Medusa
let medusaUrl = ""
let regions: HttpTypes.StoreRegion[] = []
let region: HttpTypes.StoreRegion
let language: PaysysLanguage = (localStorage.getItem(LANGUAGE_KEY) as PaysysLanguage | null) ?? "en"

// ---------------------------------------------------------------------------------------------
// Start-up and navigation

async function main() {
  // The backend's URL and the publishable key. A real storefront has them as build settings
  // (e.g. VITE_MEDUSA_BACKEND_URL); the demo serves them at /config.json.
  const config: { medusaUrl: string; publishableKey: string } = await (await fetch("/config.json")).json()
  medusaUrl = config.medusaUrl
  sdk = new Medusa({ baseUrl: config.medusaUrl, publishableKey: config.publishableKey })

  regions = (await sdk.store.region.list({ fields: "id,name,currency_code,*countries" })).regions
  const savedCurrency = localStorage.getItem(REGION_KEY)
  region =
    regions.find((r) => r.currency_code === savedCurrency) ??
    regions.find((r) => r.currency_code === "uzs") ??
    regions[0]
  setUpRegionSelect()
  setUpLanguageSelect()

  document.addEventListener("click", (event) => {
    const link = (event.target as HTMLElement).closest<HTMLAnchorElement>("a[data-link]")
    if (link) {
      event.preventDefault()
      navigate(link.getAttribute("href")!)
    }
  })
  window.addEventListener("popstate", () => void route())
  await route()
}

function navigate(path: string) {
  history.pushState(null, "", path)
  void route()
}

async function route() {
  const path = location.pathname
  unmountKitParts()
  try {
    if (path === RETURN_PATH) {
      // the return URL holds an opaque reference, not the cart id (PaySys and the bank see it)
      finishPayment(paysysReturnCartId(location.href) ?? localStorage.getItem(CART_KEY))
    } else if (path === "/account") {
      await showAccount()
    } else if (path.startsWith("/order/")) {
      await showConfirmation(path.slice("/order/".length))
    } else if (path === "/checkout") {
      await showCheckout()
    } else {
      await showShop()
    }
  } catch (error) {
    app.innerHTML = `<div class="notice error" role="alert">${esc(messageOf(error))}</div>
      <p><a href="/" data-link>Back to the store</a></p>`
  }
}

function setUpRegionSelect() {
  const select = document.querySelector<HTMLSelectElement>("#region-select")!
  select.innerHTML = regions
    .map((r) => `<option value="${r.id}">${esc(r.name)} (${r.currency_code.toUpperCase()})</option>`)
    .join("")
  select.value = region.id
  select.addEventListener("change", () => {
    region = regions.find((r) => r.id === select.value)!
    localStorage.setItem(REGION_KEY, region.currency_code)
    // Prices, shipping and the PaySys currency follow the region. To keep the demo short, a
    // new region starts a new cart; a real store would move the cart with cart.update({region_id}).
    localStorage.removeItem(CART_KEY)
    navigate("/")
  })
}

function setUpLanguageSelect() {
  const select = document.querySelector<HTMLSelectElement>("#lang-select")!
  select.value = language
  document.documentElement.lang = language
  select.addEventListener("change", () => {
    language = select.value as PaysysLanguage
    localStorage.setItem(LANGUAGE_KEY, language)
    document.documentElement.lang = language
    void route()
  })
}

// ---------------------------------------------------------------------------------------------
// The kit's React parts, mounted into this page's plain DOM

let mounted: Root[] = []

function mountKitPart(container: Element, part: ReactNode) {
  const root = createRoot(container)
  root.render(part)
  mounted.push(root)
}

function unmountKitParts() {
  mounted.forEach((root) => root.unmount())
  mounted = []
}

// ---------------------------------------------------------------------------------------------
// Products and cart: ordinary Medusa

async function currentCart(): Promise<HttpTypes.StoreCart | null> {
  const id = localStorage.getItem(CART_KEY)
  if (!id) {
    return null
  }
  try {
    const { cart } = await sdk.store.cart.retrieve(id, { fields: CART_FIELDS })
    if (!cart.completed_at && cart.region_id === region.id) {
      return cart
    }
  } catch {
    // an unknown cart: start a new one
  }
  localStorage.removeItem(CART_KEY)
  return null
}

async function showShop() {
  const [{ products }, cart] = await Promise.all([
    sdk.store.product.list({ region_id: region.id, fields: "id,title,handle,description,*variants.calculated_price" }),
    currentCart(),
  ])
  updateCartLink(cart)
  app.innerHTML = `
    <section class="shop">
      <div class="products">
        ${products
          .map((product) => {
            const variant = product.variants![0]
            const price = variant.calculated_price?.calculated_amount ?? 0
            return `<article class="product" data-product="${esc(product.handle!)}">
              <div class="swatch" aria-hidden="true">${esc(product.title.slice(0, 1))}</div>
              <h3>${esc(product.title)}</h3>
              <p class="price">${money(price, region.currency_code)}</p>
              <button class="add" data-variant="${variant.id}">Add to cart</button>
            </article>`
          })
          .join("")}
      </div>
      <aside class="cart" id="cart">${cartHtml(cart)}</aside>
    </section>`

  app.querySelectorAll<HTMLButtonElement>("button.add").forEach((button) =>
    button.addEventListener("click", () =>
      busy(button, async () => {
        const cart = await addToCart(button.dataset.variant!)
        document.querySelector("#cart")!.innerHTML = cartHtml(cart)
        updateCartLink(cart)
      })
    )
  )
}

async function addToCart(variantId: string): Promise<HttpTypes.StoreCart> {
  const existing = await currentCart()
  if (!existing) {
    const { cart } = await sdk.store.cart.create(
      { region_id: region.id, items: [{ variant_id: variantId, quantity: 1 }] },
      { fields: CART_FIELDS }
    )
    localStorage.setItem(CART_KEY, cart.id)
    return cart
  }
  const { cart } = await sdk.store.cart.createLineItem(
    existing.id,
    { variant_id: variantId, quantity: 1 },
    { fields: CART_FIELDS }
  )
  return cart
}

function cartHtml(cart: HttpTypes.StoreCart | null) {
  if (!cart?.items?.length) {
    return `<h2>Cart</h2><p class="muted">Your cart is empty.</p>`
  }
  return `<h2>Cart</h2>
    <ul class="lines">${cart.items
      .map(
        (item) =>
          `<li><span>${item.quantity} × ${esc(item.product_title ?? item.title)}</span><span>${money(item.total ?? 0, cart.currency_code)}</span></li>`
      )
      .join("")}</ul>
    <p class="total"><span>Subtotal</span><span>${money(cart.item_total ?? 0, cart.currency_code)}</span></p>
    <a class="button primary" id="checkout" href="/checkout" data-link>Checkout</a>`
}

function updateCartLink(cart: HttpTypes.StoreCart | null) {
  const count = cart?.items?.reduce((sum, item) => sum + item.quantity, 0) ?? 0
  document.querySelector("#cart-link")!.textContent = count ? `Cart (${count})` : "Cart"
}

// ---------------------------------------------------------------------------------------------
// Checkout: address -> shipping -> card

type CheckoutStep = "address" | "shipping" | "payment"

async function showCheckout(options: { step?: CheckoutStep; error?: string } = {}) {
  unmountKitParts()
  const cart = await currentCart()
  updateCartLink(cart)
  if (!cart?.items?.length) {
    navigate("/")
    return
  }
  const step: CheckoutStep =
    options.step ??
    (!cart.shipping_address?.address_1 ? "address" : !cart.shipping_methods?.length ? "shipping" : "payment")

  app.innerHTML = `
    <section class="checkout">
      <div class="steps">
        <div class="step ${step === "address" ? "current" : ""}" id="step-address"></div>
        <div class="step ${step === "shipping" ? "current" : ""}" id="step-shipping"></div>
        <div class="step ${step === "payment" ? "current" : ""}" id="step-payment"></div>
      </div>
      <aside class="summary">${summaryHtml(cart)}</aside>
    </section>`
  addressStep(cart, step === "address")
  await shippingStep(cart, step === "shipping")
  await paymentStep(cart, step === "payment", options.error)
}

function summaryHtml(cart: HttpTypes.StoreCart) {
  const row = (label: string, amount: number | undefined) =>
    `<p class="row"><span>${label}</span><span>${money(amount ?? 0, cart.currency_code)}</span></p>`
  return `<h2>Order summary</h2>
    <ul class="lines">${cart
      .items!.map(
        (item) =>
          `<li><span>${item.quantity} × ${esc(item.product_title ?? item.title)}</span><span>${money(item.total ?? 0, cart.currency_code)}</span></li>`
      )
      .join("")}</ul>
    ${row("Items", cart.item_total)}
    ${row("Shipping", cart.shipping_total)}
    <p class="row total"><span>Total</span><span id="cart-total">${money(cart.total ?? 0, cart.currency_code)}</span></p>`
}

function addressStep(cart: HttpTypes.StoreCart, open: boolean) {
  const el = document.querySelector<HTMLElement>("#step-address")!
  const saved = cart.shipping_address
  const countryCode = region.countries?.[0]?.iso_2 ?? "uz"
  const address = saved?.address_1 ? { ...saved, email: cart.email ?? "" } : (ADDRESSES[countryCode] ?? ADDRESSES.uz)

  if (!open) {
    el.innerHTML = `<h2>1. Address</h2>
      <p class="done">${esc(`${address.first_name} ${address.last_name}, ${address.address_1}, ${address.city}`)}
      <button class="link" id="edit-address">Edit</button></p>`
    el.querySelector("#edit-address")?.addEventListener("click", () => void showCheckout({ step: "address" }))
    return
  }
  const field = (name: string, label: string, value = "", type = "text") =>
    `<label>${label}<input name="${name}" type="${type}" value="${esc(value)}" required /></label>`
  el.innerHTML = `<h2>1. Address</h2>
    <form id="address-form" class="form">
      <div class="pair">${field("first_name", "First name", address.first_name ?? "")}${field("last_name", "Last name", address.last_name ?? "")}</div>
      ${field("email", "Email", address.email, "email")}
      ${field("address_1", "Address", address.address_1 ?? "")}
      <div class="pair">${field("city", "City", address.city ?? "")}${field("postal_code", "Postal code", address.postal_code ?? "")}</div>
      ${field("phone", "Phone", address.phone ?? "", "tel")}
      <label>Country<select name="country_code">${(region.countries ?? [])
        .map((c) => `<option value="${c.iso_2}">${esc(c.display_name ?? c.iso_2 ?? "")}</option>`)
        .join("")}</select></label>
      <button class="primary" type="submit">Continue to shipping</button>
    </form>`
  const form = el.querySelector<HTMLFormElement>("#address-form")!
  form.addEventListener("submit", (event) => {
    event.preventDefault()
    busy(form.querySelector("button[type=submit]")!, async () => {
      const { email, ...shipping } = Object.fromEntries(new FormData(form)) as Record<string, string>
      await sdk.store.cart.update(cart.id, { email, shipping_address: shipping, billing_address: shipping })
      await showCheckout({ step: "shipping" })
    })
  })
}

async function shippingStep(cart: HttpTypes.StoreCart, open: boolean) {
  const el = document.querySelector<HTMLElement>("#step-shipping")!
  const chosen = cart.shipping_methods?.[0]
  if (!open) {
    el.innerHTML = `<h2>2. Shipping</h2>${
      chosen
        ? `<p class="done">${esc(chosen.name ?? "Shipping")}, ${money(chosen.amount, cart.currency_code)}
           <button class="link" id="edit-shipping">Edit</button></p>`
        : ""
    }`
    el.querySelector("#edit-shipping")?.addEventListener("click", () => void showCheckout({ step: "shipping" }))
    return
  }
  // the options for the cart's address (the store's service zones), with a price in its region
  const shipping_options = (await sdk.store.fulfillment.listCartOptions({ cart_id: cart.id })).shipping_options.filter(
    (option) => option.amount !== null && option.amount !== undefined
  )
  el.innerHTML = `<h2>2. Shipping</h2>
    <form id="shipping-form" class="form">
      ${
        shipping_options
          .map(
            (option, i) =>
              `<label class="choice"><input type="radio" name="option_id" value="${option.id}" ${
                (chosen ? chosen.shipping_option_id === option.id : i === 0) ? "checked" : ""
              } /> ${esc(option.name)} <span>${money(option.amount ?? 0, cart.currency_code)}</span></label>`
          )
          .join("") || `<p class="notice error">No shipping to this address.</p>`
      }
      <button class="primary" type="submit">Continue to payment</button>
    </form>`
  const form = el.querySelector<HTMLFormElement>("#shipping-form")!
  form.addEventListener("submit", (event) => {
    event.preventDefault()
    busy(form.querySelector("button[type=submit]")!, async () => {
      const optionId = String(new FormData(form).get("option_id"))
      await sdk.store.cart.addShippingMethod(cart.id, { option_id: optionId })
      await showCheckout({ step: "payment" })
    })
  })
}

async function paymentStep(cart: HttpTypes.StoreCart, open: boolean, error?: string) {
  const el = document.querySelector<HTMLElement>("#step-payment")!
  if (!open) {
    el.innerHTML = `<h2>3. Payment</h2>`
    return
  }
  const text = paysysMessages(language)
  const total = money(cart.total ?? 0, cart.currency_code)
  // the methods the region offers: both where the store configured both providers
  const offered = (await sdk.store.payment.listPaymentProviders({ region_id: cart.region_id! })).payment_providers.map(
    (p) => p.id
  )
  const methods = (["card", "form"] as PaymentMethod[]).filter((m) =>
    offered.includes(m === "card" ? PAYSYS_PROVIDER_ID : PAYSYS_FORM_PROVIDER_ID)
  )
  if (!methods.length) {
    el.innerHTML = `<h2>3. Payment</h2><p class="notice error">This region offers no PaySys payment method.</p>`
    return
  }
  // the method of the cart's last payment (back from PaySys's page unpaid: the form again), else the first
  const last = cart.payment_collection?.payment_sessions?.[0]?.provider_id === PAYSYS_FORM_PROVIDER_ID ? "form" : "card"
  const chosen: PaymentMethod = methods.includes(last) ? last : methods[0]
  const label: Record<PaymentMethod, string> = {
    card: "Card: Visa, MasterCard, MIR",
    form: "Pay on PaySys's page: UzCard, HUMO, Visa, MasterCard",
  }
  el.innerHTML = `<h2>3. Payment</h2>
    ${
      error
        ? `<div class="notice error" id="payment-error" role="alert">${esc(text.declined)}: ${esc(error)}<br /><small>${esc(text.tryAgain)}</small></div>`
        : ""
    }
    ${
      methods.length > 1
        ? `<fieldset class="methods" id="payment-methods"><legend>Payment method</legend>${methods
            .map(
              (m) =>
                `<label class="choice"><input type="radio" name="payment-method" id="method-${m}" value="${m}" ${m === chosen ? "checked" : ""} /> ${esc(label[m])}</label>`
            )
            .join("")}</fieldset>`
        : ""
    }
    <div id="method-card-panel" ${chosen === "card" ? "" : "hidden"}>
      <div id="saved-cards-slot"></div>
      <div id="card-form-slot" class="form"></div>
      <details class="test-cards" open>
        <summary>Sandbox test cards (any future expiry, any CVC; 3-D Secure code 123456)</summary>
        <table>${TEST_CARDS.map(
          (c) =>
            `<tr><td><button class="link use-card" data-number="${c.number}">${c.number}</button></td><td>${c.brand}</td><td>${c.outcome}</td></tr>`
        ).join("")}</table>
      </details>
    </div>
    <div id="method-form-panel" class="form" ${chosen === "form" ? "" : "hidden"}>
      <p>You type the card on PaySys's payment page, never on this site: UzCard and HUMO (card number and
      expiry, then a code PaySys sends by SMS), Visa and MasterCard. PaySys then sends you back here.</p>
      <button class="primary" id="form-pay">Pay ${esc(total)} on PaySys's page</button>
      <p class="muted">Sandbox: UzCard 8600 0000 0000 0001 or HUMO 9860 0000 0000 0001, any future expiry, SMS code 123456.</p>
    </div>`
  el.querySelectorAll<HTMLInputElement>('input[name="payment-method"]').forEach((radio) =>
    radio.addEventListener("change", () => {
      el.querySelector<HTMLElement>("#method-card-panel")!.hidden = radio.value !== "card"
      el.querySelector<HTMLElement>("#method-form-panel")!.hidden = radio.value !== "form"
    })
  )
  if (methods.includes("form")) {
    const button = el.querySelector<HTMLButtonElement>("#form-pay")!
    button.addEventListener("click", () => busy(button, () => payOnPaysysPage(cart)))
  }
  if (!methods.includes("card")) {
    return
  }

  // signed in: the customer's saved cards first, paid in one click
  if (await currentCustomer()) {
    mountKitPart(
      el.querySelector("#saved-cards-slot")!,
      <SavedCardPicker
        sdk={sdk}
        lang={language}
        payLabel={`${text.payWithSavedCard}: ${total}`}
        onPay={(id) => payWithSaved(cart, id)}
      />
    )
  }
  const holder = `${cart.shipping_address?.first_name ?? ""} ${cart.shipping_address?.last_name ?? ""}`
    .trim()
    .toUpperCase()
  const cardFormRoot = createRoot(el.querySelector("#card-form-slot")!)
  mounted.push(cardFormRoot)
  // a test card chosen: the form again (a new key), filled in
  const showCardForm = (card: { card_number?: string; card_expiry?: string; card_cvc?: string } = {}) =>
    cardFormRoot.render(
      <CardForm
        key={card.card_number ?? ""}
        lang={language}
        defaultValues={{ card_holder_name: holder, ...card }}
        submitLabel={`${text.pay} ${total}`}
        paysysFormOffered={methods.includes("form")}
        onSubmit={(typed) => payWithNewCard(cart, typed)}
      />
    )
  showCardForm()
  el.querySelectorAll<HTMLButtonElement>(".use-card").forEach((button) =>
    button.addEventListener("click", () =>
      showCardForm({ card_number: button.dataset.number!, card_expiry: "12/30", card_cvc: "123" })
    )
  )
}

// ---------------------------------------------------------------------------------------------
// PaySys, through the kit: the card goes to the plugin's route, the shopper to 3-D Secure, then back here

async function payWithNewCard(cart: HttpTypes.StoreCart, card: CardInputFields) {
  try {
    // the cart's PaySys session, the card straight to the plugin's route (never stored), and
    // where PaySys sends the shopper back: an origin of the store's CORS settings
    const { confirmUrl } = await payWithCard(sdk, cart, card, { returnUrl: `${location.origin}${RETURN_PATH}` })
    goToThreeDSecure(confirmUrl)
  } catch (error) {
    if (error instanceof PaysysCheckoutError && error.kind === "already_paid") {
      // this session was paid already (another tab?): the return page completes the current cart
      navigate(RETURN_PATH)
      return
    }
    // the card form shows it: by its field (400), or above the button (502: PaySys unreachable)
    throw error
  }
}

/**
 * The hosted form: a session whose data holds the signed fields, then a full-page POST to PaySys.
 * The return URL carries an opaque reference to the cart; coming back proves nothing (the return page asks Medusa,
 * which asks PaySys), and PaySys's Notify places the order even if the shopper never returns.
 */
async function payOnPaysysPage(cart: HttpTypes.StoreCart) {
  const form = await startPaysysFormSession(sdk, cart, {
    returnUrl: paysysReturnUrl(`${location.origin}${RETURN_PATH}`, cart.id),
  })
  goToPaysysForm(form)
}

async function payWithSaved(cart: HttpTypes.StoreCart, savedCardId: string) {
  const outcome = await payWithSavedCard(sdk, cart, savedCardId)
  if (outcome.type === "order") {
    orderPlaced(outcome.order)
  } else if (outcome.type === "declined") {
    await showCheckout({ step: "payment", error: declineReason(outcome, paysysMessages(language)) })
  } else {
    throw new Error(paysysMessages(language).pending)
  }
}

/**
 * Back from 3-D Secure or PaySys's page: the kit completes the cart (the plugin asks PaySys, and
 * asks again while PaySys has not decided), or hands over the reason to retry with.
 */
function finishPayment(cartId: string | null) {
  if (!cartId) {
    navigate("/checkout")
    return
  }
  app.innerHTML = `<div id="return-slot"></div>`
  mountKitPart(
    app.querySelector("#return-slot")!,
    <PaysysReturn
      sdk={sdk}
      cartId={cartId}
      lang={language}
      onOrder={orderPlaced}
      onDeclined={(reason) => {
        history.replaceState(null, "", "/checkout")
        void showCheckout({ step: "payment", error: reason })
      }}
    />
  )
}

function orderPlaced(order: HttpTypes.StoreOrder) {
  localStorage.removeItem(CART_KEY)
  history.replaceState(null, "", `/order/${order.id}`)
  void showConfirmation(order.id)
}

// ---------------------------------------------------------------------------------------------
// Account: sign in, save cards (3-D Secure in a window of its own), remove them

async function currentCustomer(): Promise<HttpTypes.StoreCustomer | null> {
  try {
    return (await sdk.store.customer.retrieve()).customer
  } catch {
    return null
  }
}

/** Signs in, creating the account on first use (Medusa's emailpass auth). */
async function signIn(email: string, password: string) {
  try {
    await sdk.auth.login("customer", "emailpass", { email, password })
    return
  } catch {
    // no such customer yet
  }
  await sdk.auth.register("customer", "emailpass", { email, password })
  await sdk.store.customer.create({ email })
  await sdk.auth.login("customer", "emailpass", { email, password })
}

async function showAccount() {
  const customer = await currentCustomer()
  if (!customer) {
    app.innerHTML = `<section class="account"><h1>Sign in</h1>
      <form id="account-form" class="form">
        <label>Email<input name="email" type="email" autocomplete="email" required /></label>
        <label>Password<input name="password" type="password" autocomplete="current-password" required /></label>
        <button class="primary" type="submit">Sign in or create an account</button>
      </form></section>`
    const form = app.querySelector<HTMLFormElement>("#account-form")!
    form.addEventListener("submit", (event) => {
      event.preventDefault()
      const { email, password } = Object.fromEntries(new FormData(form)) as Record<string, string>
      busy(form.querySelector("button[type=submit]")!, async () => {
        await signIn(email, password)
        await showAccount()
      })
    })
    return
  }
  app.innerHTML = `<section class="account"><h1>Your account</h1>
    <p>Signed in as <b id="account-email">${esc(customer.email)}</b> <button class="link" id="sign-out">Sign out</button></p>
    <div id="saved-cards-slot"></div>
    <h2>Save a card</h2>
    <p class="muted" id="save-card-status" role="status"></p>
    <div id="save-card-slot" class="form"></div></section>`
  app.querySelector("#sign-out")!.addEventListener("click", async () => {
    await sdk.auth.logout()
    await showAccount()
  })
  const status = app.querySelector<HTMLElement>("#save-card-status")!
  const listSlot = app.querySelector("#saved-cards-slot")!
  const listRoot = createRoot(listSlot)
  mounted.push(listRoot)
  const showCards = (refreshKey: number) =>
    listRoot.render(<SavedCardPicker sdk={sdk} lang={language} refreshKey={refreshKey} />)
  showCards(0)
  mountKitPart(
    app.querySelector("#save-card-slot")!,
    <CardForm
      idPrefix="save-card"
      lang={language}
      submitLabel="Save the card"
      onSubmit={async (card) => {
        // opened while the click still counts, so no popup blocker stops it
        const threeDs = window.open("about:blank", "paysys-3ds")
        try {
          const { card: pending, confirmUrl } = await saveCard(sdk, card)
          if (threeDs) {
            goToThreeDSecure(confirmUrl, threeDs.location)
          }
          status.textContent = `Pass 3-D Secure in the new window to save ${pending.masked_pan}…`
          const saved = await waitForSavedCard(sdk, pending.id)
          status.textContent = saved ? `Saved ${saved.data.masked_pan}.` : `${pending.masked_pan} was not saved.`
          showCards(Date.now())
        } catch (error) {
          threeDs?.close()
          throw error
        }
      }}
    />
  )
}

// ---------------------------------------------------------------------------------------------
// Confirmation: the order, and PaySys's references from the payment's data

async function showConfirmation(orderId: string) {
  const { order } = await sdk.store.order.retrieve(orderId, {
    fields: "id,display_id,email,total,currency_code,*items,*payment_collections.payments",
  })
  updateCartLink(null)
  // payment.data is what the plugin keeps: card_masked, rrn, approval_code, partner_trans_id...
  // (on PaySys's page: payment_name, and transaction_id is PaySys's AGR_TRANS_ID)
  const payment = order.payment_collections?.[0]?.payments?.[0]
  const data = (payment?.data ?? {}) as Record<string, unknown>
  const row = (label: string, id: string, value: unknown) =>
    `<tr><th>${label}</th><td id="${id}">${esc(String(value ?? "—"))}</td></tr>`
  const paymentRows =
    payment?.provider_id === PAYSYS_FORM_PROVIDER_ID
      ? row("Paid on", "order-method", `PaySys's payment page (${String(data.payment_name ?? "card").toUpperCase()})`)
      : `${row("Card", "order-card", data.card_masked)}
        ${row("RRN (bank reference)", "order-rrn", data.rrn)}
        ${row("Approval code", "order-approval", data.approval_code)}`

  app.innerHTML = `
    <section class="confirmation" id="confirmation">
      <h1>Thank you, your order is placed</h1>
      <p>Order #${esc(String(order.display_id))} is paid. A confirmation goes to ${esc(order.email ?? "you")}.</p>
      <table class="details">
        ${row("Order", "order-id", order.id)}
        ${row("Amount", "order-total", money(order.total, order.currency_code))}
        ${paymentRows}
        ${row("PaySys transaction", "order-transaction", data.transaction_id)}
      </table>
      <ul class="lines">${(order.items ?? [])
        .map(
          (item) =>
            `<li><span>${item.quantity} × ${esc(item.product_title ?? item.title)}</span><span>${money(item.total ?? 0, order.currency_code)}</span></li>`
        )
        .join("")}</ul>
      <p><a class="button primary" href="/" data-link>Continue shopping</a>
         <a class="button" href="${esc(`${medusaUrl}/app/orders/${order.id}`)}" target="_blank" rel="noopener">See it in the admin</a></p>
    </section>`
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** Medusa amounts are in major units (375000 UZS, 28.5 USD). */
function money(amount: number, currency: string) {
  const code = currency.toUpperCase()
  return new Intl.NumberFormat("en-US", {
    style: "currency",
    currency: code,
    currencyDisplay: code === "UZS" ? "code" : "symbol",
    maximumFractionDigits: code === "UZS" ? 0 : 2,
  }).format(amount)
}

/** HTML-escapes text for the templates above. */
function esc(value: unknown) {
  return String(value ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** Disables a button while `work` runs; an error shows in a notice above the page. */
async function busy(button: HTMLButtonElement, work: () => Promise<void>) {
  button.disabled = true
  button.classList.add("busy")
  try {
    await work()
  } catch (error) {
    const notice = document.createElement("div")
    notice.className = "notice error"
    notice.setAttribute("role", "alert")
    notice.textContent = messageOf(error)
    app.prepend(notice)
  } finally {
    button.disabled = false
    button.classList.remove("busy")
  }
}

void main()
