import type { Knex } from "knex"
import { Logger } from "@medusajs/framework/types"
import { PaysysClient } from "../../paysys"
import { PaysysOptions } from "./card-options"
import { createPaysysClient } from "./client-factory"
import { FormStatusReader } from "./form-attempt-check"
import { PaysysFormOptions } from "./form-options"
import { formStatusReader } from "./form-status-reader"
import { Schedule, scheduleFrom } from "./look-schedule"
import { PaymentLedger } from "./payment-ledger"
import { ScheduleOptions } from "./schedule-options"

export type PaysysRuntimeInput<Card extends PaysysOptions | null, Form extends PaysysFormOptions | null> = {
  /** the reconciliation pace's options: the plugin's, which each provider is given too */
  schedule: ScheduleOptions
  /** the card gateway's options, when this instance calls it */
  card: Card
  /** the hosted form's options, when this instance checks form attempts */
  form: Form
  logger: Logger
  /** the instance's own connection (pool) */
  db: Knex
}

/** What an instance works with; the client and the status API only where their options are given. */
export type PaysysRuntime<Card extends PaysysOptions | null, Form extends PaysysFormOptions | null> = {
  client: Card extends PaysysOptions ? PaysysClient : null
  ledger: PaymentLedger
  schedule: Schedule
  formStatus: Form extends PaysysFormOptions ? FormStatusReader : null
}

/**
 * The one construction of the PaySys client, the ledger and the schedule, for the plugin's module
 * and both payment providers. A provider lives in Medusa's Payment Module and cannot resolve the
 * plugin's module, so each instance builds its own here, from the same options the same way.
 */
export function paysysRuntime<Card extends PaysysOptions | null, Form extends PaysysFormOptions | null>(
  input: PaysysRuntimeInput<Card, Form>
): PaysysRuntime<Card, Form> {
  return {
    client: (input.card ? createPaysysClient(input.card, input.logger) : null) as PaysysRuntime<Card, Form>["client"],
    ledger: new PaymentLedger(input.db),
    schedule: scheduleFrom(input.schedule),
    formStatus: (input.form ? formStatusReader(input.form) : null) as PaysysRuntime<Card, Form>["formStatus"],
  }
}
