import type Medusa from "@medusajs/js-sdk"

/*
 * Medusa's store types, read off the SDK the storefront already has, so that the kit needs no
 * Medusa package besides @medusajs/js-sdk (a direct @medusajs/types would bring its own peers).
 */
export type StoreCart = Awaited<ReturnType<Medusa["store"]["cart"]["retrieve"]>>["cart"]
export type StoreOrder = Awaited<ReturnType<Medusa["store"]["order"]["retrieve"]>>["order"]
export type StorePaymentSession = NonNullable<NonNullable<StoreCart["payment_collection"]>["payment_sessions"]>[number]
