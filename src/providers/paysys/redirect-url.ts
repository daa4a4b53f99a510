/**
 * Where PaySys may send a shopper after 3-D Secure. Without a check, the card route
 * would be an open redirect through the bank's page. Entries are origins, or regular
 * expressions written as "/.../" like Medusa's CORS settings. A regular expression must match
 * the whole origin (it is anchored here): unanchored, /shop\.example\.com/ would let
 * https://shop.example.com.attacker.net through.
 */
export function isAllowedRedirectUrl(url: string, allowedOrigins: string[], storeCors: string): boolean {
  const origin = new URL(url).origin
  const entries = allowedOrigins.length ? allowedOrigins : storeCors.split(",")
  return entries
    .map((entry) => entry.trim())
    .filter(Boolean)
    .some((entry) =>
      entry.length > 2 && entry.startsWith("/") && entry.endsWith("/")
        ? new RegExp(`^(?:${entry.slice(1, -1)})$`).test(origin)
        : entry.replace(/\/+$/, "") === origin
    )
}
