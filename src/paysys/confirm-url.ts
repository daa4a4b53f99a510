/**
 * Whether a 3-D Secure URL from PaySys (prepare_payment's or card_registration's `confirm_url`)
 * may be opened in the shopper's browser: https only, so that a `javascript:` or `data:` URL in
 * an answer never runs in the store's page. Plain http is allowed for loopback hosts only
 * (localhost, 127.0.0.0/8, [::1]): that is the sandbox on a developer's machine, never a bank.
 * No dependencies: the storefront kit checks the same before sending the shopper there.
 */
export function isSafeConfirmUrl(value: string): boolean {
  if (!URL.canParse(value)) {
    return false
  }
  const url = new URL(value)
  if (url.protocol === "https:") {
    return true
  }
  return url.protocol === "http:" && /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/.test(url.hostname)
}

export const CONFIRM_URL_RULE = "must be an https URL (http only on localhost, for the sandbox)"
