import { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import { isCardProviderId } from "../provider-ids"

/** The id Medusa gave the PaySys provider (pp_paysys_<id in medusa-config>). */
export async function paysysProviderId(container: MedusaContainer): Promise<string> {
  const providers = await container.resolve(Modules.PAYMENT).listPaymentProviders({}, { select: ["id"] })
  const paysys = providers.find((provider) => isCardProviderId(provider.id))
  if (!paysys) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, "The PaySys payment provider is not registered")
  }
  return paysys.id
}
