import { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules, ProductStatus } from "@medusajs/framework/utils"
import {
  createApiKeysWorkflow,
  createProductsWorkflow,
  createRegionsWorkflow,
  createSalesChannelsWorkflow,
  createShippingOptionsWorkflow,
  createShippingProfilesWorkflow,
  createStockLocationsWorkflow,
  linkSalesChannelsToApiKeyWorkflow,
  linkSalesChannelsToStockLocationWorkflow,
  updateStoresWorkflow,
} from "@medusajs/medusa/core-flows"

export const PAYSYS_PROVIDER_ID = "pp_paysys_paysys"
/** Medusa names a provider pp_<identifier>_<id in medusa-config> */
export const PAYSYS_FORM_PROVIDER_ID = "pp_paysys-form_paysys-form"

export type SeededStore = {
  publishableKey: string
  salesChannelId: string
  regions: { uzs: string; usd: string }
  shippingOptions: { uzs: string; usd: string }
  products: { handle: string; title: string; variantId: string; prices: { uzs: number; usd: number } }[]
}

// ikpu: the product's IKPU code for fiscal receipts of the hosted form (made up for the demo)
const PRODUCTS = [
  { title: "Suzani cushion", handle: "suzani-cushion", uzs: 350_000, usd: 28, ikpu: "06303001001000000" },
  { title: "Rishtan ceramic bowl", handle: "rishtan-bowl", uzs: 120_000, usd: 9.5, ikpu: "06912001001000000" },
  { title: "Atlas silk scarf", handle: "atlas-scarf", uzs: 2_675, usd: 2.675, ikpu: "06214001001000000" }, // rounds to 2.68 usd at PaySys
]

/**
 * A small store taking PaySys payments: a UZS region (Uzbekistan) and a USD region
 * (Kazakhstan), one flat shipping option each, three products, a publishable key.
 * Used by the integration tests and the demo.
 */
export async function seedStore(container: MedusaContainer): Promise<SeededStore> {
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const storeModule = container.resolve(Modules.STORE)
  const fulfillmentModule = container.resolve(Modules.FULFILLMENT)
  // both PaySys methods where both are configured (an app set up from the README may have only the card's)
  const paymentProviders = (
    await container
      .resolve(Modules.PAYMENT)
      .listPaymentProviders({ id: [PAYSYS_PROVIDER_ID, PAYSYS_FORM_PROVIDER_ID] }, { select: ["id"] })
  ).map((provider) => provider.id)

  const {
    result: [salesChannel],
  } = await createSalesChannelsWorkflow(container).run({
    input: { salesChannelsData: [{ name: "Webshop" }] },
  })
  const [store] = await storeModule.listStores()
  await updateStoresWorkflow(container).run({
    input: {
      selector: { id: store.id },
      update: {
        default_sales_channel_id: salesChannel.id,
        supported_currencies: [{ currency_code: "uzs", is_default: true }, { currency_code: "usd" }],
      },
    },
  })
  const {
    result: [apiKey],
  } = await createApiKeysWorkflow(container).run({
    input: { api_keys: [{ title: "Webshop", type: "publishable", created_by: "seed" }] },
  })
  await linkSalesChannelsToApiKeyWorkflow(container).run({ input: { id: apiKey.id, add: [salesChannel.id] } })

  const { result: regions } = await createRegionsWorkflow(container).run({
    input: {
      regions: [
        { name: "Uzbekistan", currency_code: "uzs", countries: ["uz"], payment_providers: paymentProviders },
        { name: "Kazakhstan", currency_code: "usd", countries: ["kz"], payment_providers: paymentProviders },
      ],
    },
  })
  const [uzsRegion, usdRegion] = regions

  const {
    result: [location],
  } = await createStockLocationsWorkflow(container).run({
    input: {
      locations: [
        { name: "Tashkent warehouse", address: { city: "Tashkent", country_code: "uz", address_1: "Amir Temur 1" } },
      ],
    },
  })
  await linkSalesChannelsToStockLocationWorkflow(container).run({ input: { id: location.id, add: [salesChannel.id] } })
  await link.create({
    [Modules.STOCK_LOCATION]: { stock_location_id: location.id },
    [Modules.FULFILLMENT]: { fulfillment_provider_id: "manual_manual" },
  })
  const fulfillmentSet = await fulfillmentModule.createFulfillmentSets({
    name: "Tashkent delivery",
    type: "shipping",
    // a zone per country, so a cart is offered only the option priced in its currency
    service_zones: [
      { name: "Uzbekistan", geo_zones: [{ country_code: "uz", type: "country" }] },
      { name: "Kazakhstan", geo_zones: [{ country_code: "kz", type: "country" }] },
    ],
  })
  await link.create({
    [Modules.STOCK_LOCATION]: { stock_location_id: location.id },
    [Modules.FULFILLMENT]: { fulfillment_set_id: fulfillmentSet.id },
  })
  const {
    result: [shippingProfile],
  } = await createShippingProfilesWorkflow(container).run({
    input: { data: [{ name: "Default", type: "default" }] },
  })
  const zone = (name: string) => fulfillmentSet.service_zones.find((z) => z.name === name)!.id
  const shippingOption = (name: string, zoneName: string, regionId: string, amount: number) => ({
    name,
    price_type: "flat" as const,
    provider_id: "manual_manual",
    service_zone_id: zone(zoneName),
    shipping_profile_id: shippingProfile.id,
    type: { label: "Courier", description: "Delivery in 2-3 days", code: "courier" },
    prices: [{ region_id: regionId, amount }],
    rules: [
      { attribute: "enabled_in_store", value: "true", operator: "eq" as const },
      { attribute: "is_return", value: "false", operator: "eq" as const },
    ],
  })
  const { result: options } = await createShippingOptionsWorkflow(container).run({
    input: [
      shippingOption("Courier (UZS)", "Uzbekistan", uzsRegion.id, 25_000),
      shippingOption("Courier (USD)", "Kazakhstan", usdRegion.id, 2),
    ],
  })

  const { result: products } = await createProductsWorkflow(container).run({
    input: {
      products: PRODUCTS.map((product) => ({
        title: product.title,
        handle: product.handle,
        status: ProductStatus.PUBLISHED,
        metadata: { ikpu_code: product.ikpu, vat_percent: 12 },
        shipping_profile_id: shippingProfile.id,
        options: [{ title: "Size", values: ["One size"] }],
        variants: [
          {
            title: "One size",
            sku: product.handle,
            manage_inventory: false,
            options: { Size: "One size" },
            prices: [
              { currency_code: "uzs", amount: product.uzs },
              { currency_code: "usd", amount: product.usd },
            ],
          },
        ],
        sales_channels: [{ id: salesChannel.id }],
      })),
    },
  })

  return {
    publishableKey: apiKey.token,
    salesChannelId: salesChannel.id,
    regions: { uzs: uzsRegion.id, usd: usdRegion.id },
    shippingOptions: { uzs: options[0].id, usd: options[1].id },
    products: products.map((product, i) => ({
      handle: product.handle,
      title: product.title,
      variantId: product.variants[0].id,
      prices: { uzs: PRODUCTS[i].uzs, usd: PRODUCTS[i].usd },
    })),
  }
}
