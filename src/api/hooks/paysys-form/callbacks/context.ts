import { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { PAYSYS_MODULE, PaysysModuleService } from "../../../../modules/paysys"
import { PaymentLedger } from "../../../../modules/paysys/payment-ledger"
import { PaysysFormOptions } from "../../../../modules/paysys/form-options"
import { collectionLockKey } from "../../../../workflows/lock-keys"

/** What answering one of PaySys's form calls needs. */
export type FormCallbackContext = {
  container: MedusaContainer
  paysys: PaysysModuleService
  ledger: PaymentLedger
  options: PaysysFormOptions
}

export function formCallbackContext(container: MedusaContainer, options: PaysysFormOptions): FormCallbackContext {
  const paysys = container.resolve<PaysysModuleService>(PAYSYS_MODULE)
  return { container, paysys, ledger: paysys.ledger, options }
}

/** Works under the cart's payment collection lock, which settling and card submissions take too. */
export function underCollectionLock<T>(
  context: FormCallbackContext,
  paymentCollectionId: string,
  work: () => Promise<T>
): Promise<T> {
  return context.container
    .resolve(Modules.LOCKING)
    .execute(collectionLockKey(paymentCollectionId), work, { timeout: 30 })
}

export function logFormCallback(context: FormCallbackContext, line: string) {
  context.container.resolve(ContainerRegistrationKeys.LOGGER).info(`PaySys form: ${line}`)
}
