import { ModuleProvider, Modules } from "@medusajs/framework/utils"
import { PaysysProviderService } from "./service"

export { PaysysProviderService }
export * from "../../modules/paysys/card-options"

export default ModuleProvider(Modules.PAYMENT, {
  services: [PaysysProviderService],
})
