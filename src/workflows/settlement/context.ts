import { MedusaContainer } from "@medusajs/framework/types"
import type { PaysysModuleService } from "../../modules/paysys"
import type { Attempt } from "../../modules/paysys/ledger-types"
import type { SettleOutcome } from "./outcomes"

/** What each settlement step works with: Medusa's container and the plugin's module. */
export type SettleContext = { container: MedusaContainer; paysys: PaysysModuleService }

/**
 * A step's end: the outcome, or the attempt in a new state for settlement to go on with
 * (`capturedNow`: a Medusa payment was just made from it).
 */
export type Step = { outcome: SettleOutcome } | { again: Attempt; capturedNow?: boolean }

export function refundDeps({ paysys }: SettleContext) {
  return { client: paysys.client, ledger: paysys.ledger, schedule: paysys.schedule }
}
