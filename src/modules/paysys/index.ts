import { Module } from "@medusajs/framework/utils"
import PaysysModuleService from "./service"

export const PAYSYS_MODULE = "paysys"

export default Module(PAYSYS_MODULE, {
  service: PaysysModuleService,
})

export { PaysysModuleService }
export type { CardDetails, CardPaymentAttempt, NewNotification } from "./service"
