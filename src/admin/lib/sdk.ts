import Medusa from "@medusajs/js-sdk"

/** Set by the admin build (`admin.backendUrl`), as the dashboard itself reads it. */
declare const __BACKEND_URL__: string | undefined

/** The admin's own session (cookie), against the backend the dashboard talks to. */
export const backendUrl = (typeof __BACKEND_URL__ !== "undefined" && __BACKEND_URL__) || "/"

export const sdk = new Medusa({
  baseUrl: backendUrl,
  auth: { type: "session" },
})
