import { Page } from "playwright-core"
import { screenshot } from "./chromium"

/*
 * The shopper's side of the demo storefront (demo/storefront, built on the plugin's storefront
 * kit), driven like a person would: the same buttons and fields, the sandbox's real 3-D Secure page.
 */

export const THREE_DS_CODE = "123456"

export type Confirmation = { orderId: string; total: string; card: string; rrn: string; approvalCode: string }

/** Opens the store in a region ("UZS" or "USD") and puts a product in the cart. */
export async function addToCart(page: Page, storefrontUrl: string, currency: "UZS" | "USD", productHandle: string) {
  await page.goto(storefrontUrl)
  await page.locator("[data-product]").first().waitFor()
  const select = page.locator("#region-select")
  const region = await select.locator("option", { hasText: `(${currency})` }).getAttribute("value")
  if ((await select.inputValue()) !== region) {
    await select.selectOption(region!)
  }
  // the products priced in that region's currency
  await page
    .locator("[data-product] .price", { hasText: currency === "USD" ? "$" : "UZS" })
    .first()
    .waitFor()
  await page.locator(`[data-product="${productHandle}"] button.add`).click()
  await page.locator("#checkout").waitFor()
}

/** The language of the kit's parts (card form, return page, saved cards): the header's select. */
export async function chooseLanguage(page: Page, language: "en" | "ru" | "uz") {
  await page.locator("#lang-select").selectOption(language)
  await page.waitForFunction((lang) => document.documentElement.lang === lang, language)
}

/** Checkout: the prefilled address, the first shipping option, up to the card form. */
export async function checkoutToCardForm(page: Page) {
  await page.locator("#checkout").click()
  await page.locator("#address-form").waitFor()
  await page.locator("#address-form button[type=submit]").click()
  await page.locator("#shipping-form").waitFor()
  await page.locator("#shipping-form button[type=submit]").click()
  await page.locator("#card-form").waitFor()
}

/**
 * Types a card, pays, and passes the sandbox's 3-D Secure page with the code; resolves on the
 * storefront again (confirmation or error). `shots` names the screenshots taken on the way.
 */
export async function payWithCard(page: Page, cardNumber: string, shots?: { form?: string; threeDs?: string }) {
  await page.locator("#card-number").fill(cardNumber)
  await page.locator("#card-expiry").fill("12/30")
  await page.locator("#card-cvc").fill("737")
  if (shots?.form) {
    await screenshot(page, shots.form)
  }
  await page.locator("#card-pay").click()

  // the bank's page, served by the PaySys sandbox
  await page.locator("#three-ds-form").waitFor()
  await page.locator("#code").fill(THREE_DS_CODE)
  if (shots?.threeDs) {
    await screenshot(page, shots.threeDs)
  }
  await page.locator("#confirm").click()
  await page.locator("#confirmation, #payment-error").first().waitFor()
}

/** The sandbox form's SMS code (the sandbox's one-time code, like its 3-D Secure code). */
export const FORM_SMS_CODE = "123456"

/**
 * The other method: "Pay on PaySys's page" -> the sandbox's form page (card number and expiry,
 * then the SMS code) -> its result page -> "back to the store"; resolves on the storefront again.
 */
export async function payOnPaysysPage(
  page: Page,
  cardNumber: string,
  shots?: { card?: string; sms?: string; result?: string }
) {
  await page.locator("#method-form").check()
  await page.locator("#form-pay").click()

  // PaySys's page, served by the sandbox (its fields have the same ids as the kit's card form)
  await page.waitForURL(/\/form\/[0-9a-f]+$/)
  await page.locator("#card-number").fill(cardNumber)
  await page.locator("#card-expiry").fill("12/30")
  if (shots?.card) {
    await screenshot(page, shots.card)
  }
  await page.locator("#pay").click()
  await page.locator("#sms-form").waitFor()
  await page.locator("#sms-code").fill(FORM_SMS_CODE)
  if (shots?.sms) {
    await screenshot(page, shots.sms)
  }
  await page.locator("#confirm").click()
  await page.locator('#result[data-outcome="success"]').waitFor()
  if (shots?.result) {
    await screenshot(page, shots.result)
  }
  await page.locator("a#return").click()
  await page.locator("#confirmation, #payment-error, #payment-pending").first().waitFor()
}

export async function readConfirmation(page: Page): Promise<Confirmation> {
  await page.locator("#confirmation").waitFor()
  const text = async (selector: string) => (await page.locator(selector).innerText()).replace(/\s+/g, " ").trim()
  return {
    orderId: await text("#order-id"),
    total: await text("#order-total"),
    card: await text("#order-card"),
    rrn: await text("#order-rrn"),
    approvalCode: await text("#order-approval"),
  }
}

/**
 * Signs up on /account and saves a card: its 3-D Secure page opens in a window of its own;
 * resolves once the account page lists the card (PaySys confirmed it to the plugin).
 */
export async function signUpAndSaveCard(page: Page, storefrontUrl: string, email: string, cardNumber: string) {
  await page.goto(`${storefrontUrl}/account`)
  await page.locator('#account-form input[name="email"]').fill(email)
  await page.locator('#account-form input[name="password"]').fill("supersecret-shopper")
  await page.locator("#account-form button[type=submit]").click()
  await page.locator("#account-email").waitFor()

  await page.locator("#save-card-number").fill(cardNumber)
  await page.locator("#save-card-holder").fill("AZIZ KARIMOV")
  await page.locator("#save-card-expiry").fill("11/29")
  await page.locator("#save-card-cvc").fill("737")
  const threeDsWindow = page.waitForEvent("popup")
  await page.locator("#save-card-pay").click()
  const popup = await threeDsWindow
  await popup.locator("#three-ds-form").waitFor()
  await popup.locator("#code").fill(THREE_DS_CODE)
  await popup.locator("#confirm").click()
  await popup.locator("body").waitFor()
  const last4 = cardNumber.replace(/\D/g, "").slice(-4)
  await page.locator("#saved-cards .paysys-masked", { hasText: last4 }).waitFor()
  await popup.close()
}
