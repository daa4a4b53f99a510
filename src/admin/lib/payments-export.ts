import { backendUrl } from "./sdk"

/**
 * Downloads the payments' CSV for the query as fileName, with the admin's session cookie.
 * Answers the server's status text when it refused, null when downloaded.
 */
export async function downloadPaymentsCsv(query: Record<string, string>, fileName: string): Promise<string | null> {
  const url = new URL(`${backendUrl.replace(/\/$/, "")}/admin/paysys/payments/export`, window.location.origin)
  Object.entries(query).forEach(([key, value]) => url.searchParams.set(key, value))
  const response = await fetch(url, { credentials: "include" })
  if (!response.ok) {
    return response.statusText
  }
  const link = document.createElement("a")
  link.href = URL.createObjectURL(await response.blob())
  link.download = fileName
  link.click()
  URL.revokeObjectURL(link.href)
  return null
}
