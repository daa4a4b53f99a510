import type { Knex } from "knex"
import { Logger } from "@medusajs/framework/types"
import { FormStatusReader } from "../../modules/paysys/form-attempt-check"
import { PaysysFormOptions } from "../../modules/paysys/form-options"
import { Schedule } from "../../modules/paysys/look-schedule"
import { PaymentLedger } from "../../modules/paysys/payment-ledger"
import { paysysRuntime } from "../../modules/paysys/paysys-runtime"

/** What the form provider's parts work with: built once, from the provider's options. */
export type FormProviderContext = {
  options: PaysysFormOptions
  ledger: PaymentLedger
  /** the checks' pace: from the schedule options it is given, the plugin's (its module settles with them) */
  schedule: Schedule
  readStatus: FormStatusReader
}

export function formProviderContext(options: PaysysFormOptions, logger: Logger, db: Knex): FormProviderContext {
  const { ledger, schedule, formStatus } = paysysRuntime({ schedule: options, card: null, form: options, logger, db })
  return { options, ledger, schedule, readStatus: formStatus }
}
