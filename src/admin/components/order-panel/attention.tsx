import { Text, toast } from "@medusajs/ui"
import { useMutation } from "@tanstack/react-query"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { attentionMessageValues } from "../../lib/paysys-attention"
import type { PaysysOrderPanel, PaysysPanelResponse } from "../../lib/paysys-panel"
import { sdk } from "../../lib/sdk"
import { RecordRefundForm } from "./record-refund-form"
import { RefundOutcomeButtons } from "./refund-outcome-buttons"

/**
 * What the plugin cannot settle from PaySys's word alone. A refund made in the PaySys cabinet
 * is recorded here with the amount the merchant reads there: PaySys's notification does not
 * say how much, so the plugin never books it by itself.
 */
export function Attention({
  paysys,
  onRecorded,
}: {
  paysys: PaysysOrderPanel
  onRecorded: (response: PaysysPanelResponse) => void
}) {
  const { t } = useTranslation()
  const [amount, setAmount] = useState("")
  const record = useMutation({
    mutationFn: () =>
      sdk.client.fetch<PaysysPanelResponse>(`/admin/paysys/orders/${paysys.order_id}/paysys-refunds`, {
        method: "POST",
        body: { amount: amount.trim() },
      }),
    onSuccess: (response) => {
      setAmount("")
      onRecorded(response)
      toast.success(t("paysys.attention.recorded"))
    },
    onError: (error: Error) => toast.error(t("paysys.attention.recordFailed", { message: error.message })),
  })
  const settle = useMutation({
    mutationFn: ({ refundId, made }: { refundId: string; made: boolean }) =>
      sdk.client.fetch<PaysysPanelResponse>(
        `/admin/paysys/orders/${paysys.order_id}/paysys-refunds/${refundId}/outcome`,
        {
          method: "POST",
          body: { made },
        }
      ),
    onSuccess: (response) => {
      onRecorded(response)
      toast.success(t("paysys.attention.settled"))
    },
    onError: (error: Error) => toast.error(t("paysys.attention.settleFailed", { message: error.message })),
  })
  if (!paysys.attention.length) {
    return null
  }
  return (
    <div className="flex flex-col gap-y-3 px-6 py-4" data-testid="paysys-attention">
      <Text size="small" weight="plus" leading="compact" className="text-ui-fg-error">
        {t("paysys.attention.title")}
      </Text>
      {paysys.attention.map((item, index) => (
        <div
          key={`${item.type}-${index}`}
          className="flex flex-col gap-y-2"
          data-testid={`paysys-attention-${item.type}`}
        >
          <Text size="small" leading="compact">
            {t(`paysys.attention.${item.type}`, attentionMessageValues(item))}
          </Text>
          {item.type === "refund_unknown" && (
            <RefundOutcomeButtons
              pending={settle.isPending}
              pendingMade={settle.variables?.made}
              onSettle={(made) => settle.mutate({ refundId: item.refund_id, made })}
            />
          )}
          {item.type === "refund_unexplained" && (
            <RecordRefundForm
              currency={paysys.currency}
              amount={amount}
              onAmountChange={setAmount}
              onSubmit={() => record.mutate()}
              pending={record.isPending}
            />
          )}
        </div>
      ))}
    </div>
  )
}
