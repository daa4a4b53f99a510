import { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { CardDetails, PAYSYS_MODULE, PaysysModuleService } from "../../modules/paysys"
import { ensurePaysysAccountHolderWorkflow } from "../../workflows/ensure-paysys-account-holder"
import { paysysProviderId } from "../../providers/paysys/paysys-provider-id"

/**
 * A signed-in customer's saved PaySys cards, through the customer's account holder and
 * Medusa's Payment Module (listPaymentMethods, deletePaymentMethods), so the provider sees
 * the context Medusa gives it at checkout. Saving goes to the plugin's module directly:
 * the Payment Module folds a provider's errors into one untyped error, and a card refused
 * by PaySys must reach the storefront as a 400, PaySys being down as a 502.
 */
export async function customerCards(container: MedusaContainer, customerId: string) {
  const providerId = await paysysProviderId(container)
  const { result: accountHolder } = await ensurePaysysAccountHolderWorkflow(container).run({
    input: { customer_id: customerId, provider_id: providerId },
  })
  const paymentModule = container.resolve(Modules.PAYMENT)
  const paysys = container.resolve<PaysysModuleService>(PAYSYS_MODULE)
  const context = { account_holder: accountHolder }
  return {
    list: () => paymentModule.listPaymentMethods({ provider_id: providerId, context }),
    save: (card: CardDetails) => paysys.registerCard(customerId, card),
    remove: async (id: string) => {
      await paysys.retrieveOwnedCard(id, customerId)
      await paymentModule.deletePaymentMethods({ provider_id: providerId, id, context })
    },
  }
}
