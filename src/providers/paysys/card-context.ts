import type { Knex } from "knex"
import { Logger } from "@medusajs/framework/types"
import { PaysysClient } from "../../paysys"
import { PaysysOptions } from "../../modules/paysys/card-options"
import { Schedule } from "../../modules/paysys/look-schedule"
import { PaymentLedger } from "../../modules/paysys/payment-ledger"
import { paysysRuntime } from "../../modules/paysys/paysys-runtime"
import { SavedCardBinding } from "../../modules/paysys/saved-card-binding"
import { SavedCardStore } from "../../modules/paysys/saved-card-store"
import { DeclineDetail } from "./session-data"

/** What the card provider's parts work with: built once, from the provider's options. */
export type CardProviderContext = {
  options: PaysysOptions
  client: PaysysClient
  ledger: PaymentLedger
  schedule: Schedule
  savedCards: SavedCardStore
  savedCardSessions: SavedCardBinding
  /** how much of a decline payment_session.data tells the storefront */
  declines: DeclineDetail
  logger: Logger
}

export function cardProviderContext(options: PaysysOptions, logger: Logger, db: Knex): CardProviderContext {
  const { client, ledger, schedule } = paysysRuntime({ schedule: options, card: options, form: null, logger, db })
  return {
    options,
    client,
    ledger,
    schedule,
    savedCards: SavedCardStore.from(db, options.cardTokenKey),
    savedCardSessions: new SavedCardBinding(db),
    declines: { detailedDeclines: options.detailedDeclines },
    logger,
  }
}
