import { ModuleProvider, Modules } from "@medusajs/framework/utils"
import { PaysysFormProviderService } from "./service"

export { PaysysFormProviderService }
export * from "../../modules/paysys/form-options"

export default ModuleProvider(Modules.PAYMENT, {
  services: [PaysysFormProviderService],
})
