import { createHash, timingSafeEqual } from "node:crypto"
import { z } from "zod"
import { looseInt, looseString, paysysText } from "./schemas"

/*
 * What PaySys sends to the merchant. Both arrive at one URL; they are told apart by shape:
 * the card-registration result is JSON-RPC (`method: "partner.notify"`), the status
 * notification is a plain object with `account` and `status`.
 */

export const transactionStatusNotification = z.object({
  id: looseString, // PaySys transaction id
  account: looseString, // our partner_trans_id
  amount: looseString,
  card_masked: paysysText.nullish(),
  currency: looseInt, // ISO 4217 numeric
  currency_name: z.string().nullish(),
  status: looseInt,
  date: z.string().nullish(), // "24.06.2022 07:49:16"
})

export const cardRegistrationNotification = z.object({
  id: z.union([z.string(), z.number()]).nullish(),
  method: z.literal("partner.notify"),
  params: z.discriminatedUnion("stat", [
    z.object({
      stat: z.literal("SUCCESS"),
      id: looseString, // card id
      token: z.string().min(1),
      pan: paysysText,
    }),
    z.object({
      stat: z.literal("ERROR"),
      id: looseString,
      code: looseInt,
      message: paysysText,
    }),
  ]),
})

export type TransactionStatusNotification = z.infer<typeof transactionStatusNotification>
export type CardRegistrationNotification = z.infer<typeof cardRegistrationNotification>

/** What the merchant must answer to either, once it has the notification recorded. */
export const NOTIFICATION_ACK = { error: null } as const

/** The header PaySys puts on its status notifications. */
export function notificationAuthHeader(vendorMethod: string, vendorSecretKey: string): string {
  return `Basic ${Buffer.from(`${vendorMethod}:${vendorSecretKey}`).toString("base64")}`
}

/** sha256 of the expected header, for the last credentials asked about: hashed once, not on every callback */
let expectedAuth: { method: string; secret: string; digest: Buffer } | null = null

function expectedAuthDigest(vendorMethod: string, vendorSecretKey: string): Buffer {
  if (expectedAuth?.method !== vendorMethod || expectedAuth.secret !== vendorSecretKey) {
    const digest = createHash("sha256").update(notificationAuthHeader(vendorMethod, vendorSecretKey)).digest()
    expectedAuth = { method: vendorMethod, secret: vendorSecretKey, digest }
  }
  return expectedAuth.digest
}

/** Constant-time check of a notification's Authorization header. */
export function isNotificationAuthValid(header: unknown, vendorMethod: string, vendorSecretKey: string): boolean {
  if (typeof header !== "string") {
    return false
  }
  const given = createHash("sha256").update(header.trim()).digest()
  return timingSafeEqual(expectedAuthDigest(vendorMethod, vendorSecretKey), given)
}
