import { MedusaContainer } from "@medusajs/framework/types"
import { MathBN, MedusaError } from "@medusajs/framework/utils"
import {
  createStep,
  createWorkflow,
  StepResponse,
  transform,
  WorkflowResponse,
} from "@medusajs/framework/workflows-sdk"
import { refundPaymentWorkflow } from "@medusajs/medusa/core-flows"
import { PAYSYS_MODULE, PaysysModuleService } from "../modules/paysys"
import { actorEntry, Attempt } from "../modules/paysys/ledger-types"
import { PaysysStatus } from "../paysys"
import { toPaysysAmount } from "../modules/paysys/money"
import { paysysTransactionOfOrder } from "./paysys-payment-of-order"

/** What the workflow needs of the attempt (its input may be stored: nothing more). */
type AttemptOfRefund = Pick<Attempt, "id" | "partner_trans_id" | "currency" | "paysys_status" | "outcome">
type LedgerRefundInput = { attempt: AttemptOfRefund; minor: string }
type RecordedInput = { attempt: AttemptOfRefund; minor: string; actor_id?: string }

/** The ledger row of the refund, accepted and not booked yet: undone if Medusa refuses the refund. */
const recordLedgerRefundStep = createStep(
  "paysys-record-refund-made-at-paysys",
  async ({ attempt, minor }: LedgerRefundInput, { container }) => {
    const row = await container.resolve<PaysysModuleService>(PAYSYS_MODULE).ledger.refunds.create({
      attempt_id: attempt.id,
      partner_trans_id: attempt.partner_trans_id,
      key: `external-refund:${attempt.partner_trans_id}:${Date.now()}`,
      kind: "refund",
      origin: "external",
      amount: minor,
      currency: attempt.currency,
      start: "made_at_paysys",
      status_before: attempt.paysys_status,
    })
    return new StepResponse(row, row.id)
  },
  async (rowId, { container }) => {
    if (rowId) {
      await container.resolve<PaysysModuleService>(PAYSYS_MODULE).ledger.refunds.forgetUnbooked(rowId)
    }
  }
)

/** Who recorded it, on the attempt's history; a refund shown as unexplained is explained now. */
const noteRecordedStep = createStep(
  "paysys-note-refund-made-at-paysys",
  async ({ attempt, minor, actor_id }: RecordedInput, { container }) => {
    const { ledger } = container.resolve<PaysysModuleService>(PAYSYS_MODULE)
    const recorded = actorEntry(
      "refund made at PaySys recorded by the merchant",
      actor_id,
      `${minor} ${attempt.currency}`
    )
    if (attempt.outcome === "refund_unexplained") {
      await ledger.updateAttempt(attempt.partner_trans_id, { outcome: "captured" }, recorded)
    } else {
      await ledger.addHistory(attempt.partner_trans_id, recorded)
    }
    return new StepResponse(undefined)
  }
)

type RecordRefundInput = {
  attempt: AttemptOfRefund
  payment_id: string
  amount: string
  minor: string
  actor_id?: string
}

/**
 * The ledger row comes first: Medusa's refund workflow then reaches the provider, which books
 * that row instead of sending anything to PaySys. If Medusa refuses the refund (more than was
 * captured), the row is removed again.
 */
export const recordRefundMadeAtPaysysWorkflow = createWorkflow(
  "paysys-record-refund-made-at-paysys",
  (input: RecordRefundInput) => {
    recordLedgerRefundStep(transform({ input }, ({ input }) => ({ attempt: input.attempt, minor: input.minor })))
    refundPaymentWorkflow.runAsStep({
      input: transform({ input }, ({ input }) => ({
        payment_id: input.payment_id,
        amount: input.amount,
        created_by: input.actor_id,
        note: "Refunded in the PaySys cabinet; recorded by the merchant",
      })),
    })
    noteRecordedStep(input)
    return new WorkflowResponse(undefined)
  }
)

/**
 * A refund the merchant made in the PaySys cabinet, with the amount they read there. Only for a
 * payment PaySys reports refunded (6); Medusa refuses more than was captured.
 */
export async function recordRefundMadeAtPaysys(
  container: MedusaContainer,
  orderId: string,
  amount: string,
  actorId?: string
) {
  const { paymentId, partnerTransId } = await paysysTransactionOfOrder(container, orderId)
  const { id, currency, paysys_status, outcome } = await container
    .resolve<PaysysModuleService>(PAYSYS_MODULE)
    .ledger.retrieveAttempt(partnerTransId)
  const attempt = { id, partner_trans_id: partnerTransId, currency, paysys_status, outcome }
  if (attempt.paysys_status !== PaysysStatus.REFUNDED) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `PaySys does not report a refund of ${attempt.partner_trans_id} (status ${attempt.paysys_status}): refresh from PaySys first`
    )
  }
  const major = MathBN.convert(amount)
  if (MathBN.lte(major, 0)) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "amount must be more than 0")
  }
  const { amount: minor } = toPaysysAmount(major, attempt.currency)
  await recordRefundMadeAtPaysysWorkflow(container).run({
    input: { attempt, payment_id: paymentId, amount, minor, actor_id: actorId },
  })
}
