import type { Store } from "@medusajs/js-sdk"

/*
 * Medusa's store types, read off the SDK the storefront already has, so that the kit needs no
 * Medusa package besides @medusajs/js-sdk (a direct @medusajs/types would bring its own peers).
 */
export type StoreCart = Awaited<ReturnType<Store["cart"]["retrieve"]>>["cart"]
export type StoreOrder = Awaited<ReturnType<Store["order"]["retrieve"]>>["order"]
export type StorePaymentSession = NonNullable<NonNullable<StoreCart["payment_collection"]>["payment_sessions"]>[number]
