import { AccountHolderDTO } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { createPaymentAccountHolderStep, createRemoteLinkStep, useQueryGraphStep } from "@medusajs/medusa/core-flows"

export type EnsurePaysysAccountHolderInput = { customer_id: string; provider_id: string }

/**
 * The customer's account holder at the PaySys provider, created and linked to the
 * customer the first time (as Medusa's payment-session workflow does at checkout).
 */
export const ensurePaysysAccountHolderWorkflow = createWorkflow(
  "ensure-paysys-account-holder",
  (input: EnsurePaysysAccountHolderInput) => {
    const { data: customers } = useQueryGraphStep({
      entity: "customer",
      fields: ["id", "email", "company_name", "first_name", "last_name", "phone", "account_holders.*"],
      filters: { id: input.customer_id },
      options: { throwIfKeyNotFound: true },
    })
    const existing = transform(
      { customers, input },
      ({ customers, input }) =>
        (customers[0].account_holders ?? []).find(
          (holder: AccountHolderDTO | null) => holder?.provider_id === input.provider_id
        ) ?? null
    )
    const created = when({ existing }, ({ existing }) => !existing).then(() => {
      const customer = transform({ customers }, ({ customers }) => {
        const { account_holders, ...customer } = customers[0]
        return customer
      })
      const holder = createPaymentAccountHolderStep({ provider_id: input.provider_id, context: { customer } })
      const links = transform({ holder, input }, ({ holder, input }) => [
        { [Modules.CUSTOMER]: { customer_id: input.customer_id }, [Modules.PAYMENT]: { account_holder_id: holder.id } },
      ])
      createRemoteLinkStep(links)
      return holder
    })
    return new WorkflowResponse(
      transform({ existing, created }, ({ existing, created }) => (existing ?? created) as AccountHolderDTO)
    )
  }
)
