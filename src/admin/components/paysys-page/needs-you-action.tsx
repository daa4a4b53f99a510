import { Button, Input, Text, toast } from "@medusajs/ui"
import { useMutation, useQueryClient } from "@tanstack/react-query"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { NEEDS_YOU_KEY, type PaysysNeedsYouItem } from "../../lib/paysys-page"
import { sdk } from "../../lib/sdk"

/** What takes the item off the list: the plugin's own action, recorded with who took it. */
export function NeedsYouAction({ item }: { item: PaysysNeedsYouItem }) {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const [amount, setAmount] = useState("")
  const act = useMutation({
    mutationFn: ({ path, body }: { path: string; body?: Record<string, unknown> }) =>
      sdk.client.fetch<unknown>(path, { method: "POST", body: body ?? {} }),
    onSuccess: () => {
      toast.success(t("paysys.page.needsYou.done"))
      return queryClient.invalidateQueries({ queryKey: NEEDS_YOU_KEY })
    },
    onError: (error: Error) => toast.error(t("paysys.page.needsYou.failed", { message: error.message })),
  })
  const button = (label: string, path: string, body: Record<string, unknown> | undefined, testId: string) => (
    <Button
      size="small"
      variant="secondary"
      className="whitespace-nowrap"
      isLoading={act.isPending}
      onClick={() => act.mutate({ path, body })}
      data-testid={testId}
    >
      {label}
    </Button>
  )
  const hint = (
    <Text size="xsmall" className="text-ui-fg-subtle">
      {t(`paysys.page.needsYou.hints.${item.kind}`)}
    </Text>
  )
  switch (item.action) {
    case "record_refunded_in_cabinet": {
      const path = `/admin/paysys/needs-you/attempts/${item.partner_trans_id}/resolve`
      return (
        <div className="flex flex-col gap-y-2 py-2">
          {hint}
          <div className="flex gap-x-2">
            {button(
              t("paysys.page.needsYou.refundedInCabinet"),
              path,
              { resolution: "refunded_in_cabinet" },
              "paysys-refunded-in-cabinet"
            )}
            {item.kind === "unsettled_at_horizon" &&
              button(t("paysys.page.needsYou.notPaid"), path, { resolution: "not_paid" }, "paysys-not-paid")}
          </div>
        </div>
      )
    }
    case "settle_refund_in_doubt": {
      const path = `/admin/paysys/needs-you/refunds/${item.refund_id}/outcome`
      return (
        <div className="flex flex-col gap-y-2 py-2">
          {hint}
          <div className="flex gap-x-2">
            {button(t("paysys.attention.refundMade"), path, { made: true }, "paysys-refund-made")}
            {button(t("paysys.attention.refundNotMade"), path, { made: false }, "paysys-refund-not-made")}
          </div>
        </div>
      )
    }
    case "record_refund_made_at_paysys":
      return (
        <form
          className="flex flex-col gap-y-2 py-2"
          onSubmit={(event) => {
            event.preventDefault()
            act.mutate({
              path: `/admin/paysys/orders/${item.order_id}/paysys-refunds`,
              body: { amount: amount.trim() },
            })
          }}
        >
          {hint}
          <div className="flex gap-x-2">
            <Input
              size="small"
              inputMode="decimal"
              value={amount}
              onChange={(event) => setAmount(event.target.value)}
              placeholder={t("paysys.attention.amount", { currency: (item.currency ?? "").toUpperCase() })}
              aria-label={t("paysys.attention.amount", { currency: (item.currency ?? "").toUpperCase() })}
            />
            <Button size="small" variant="secondary" type="submit" isLoading={act.isPending} disabled={!amount.trim()}>
              {t("paysys.attention.record")}
            </Button>
          </div>
        </form>
      )
    case "acknowledge_contradiction":
      return (
        <div className="flex flex-col gap-y-2 py-2">
          {hint}
          <div>
            {button(
              t("paysys.page.needsYou.checkedInCabinet"),
              `/admin/paysys/needs-you/attempts/${item.partner_trans_id}/acknowledge-contradiction`,
              { checked_in_cabinet: true },
              "paysys-checked-in-cabinet"
            )}
          </div>
        </div>
      )
    case "retry_notification":
      return (
        <div className="flex flex-col gap-y-2 py-2">
          {hint}
          <div>
            {button(
              t("paysys.page.needsYou.retry"),
              `/admin/paysys/needs-you/notifications/${item.notification_id}/retry`,
              undefined,
              "paysys-retry-notification"
            )}
          </div>
        </div>
      )
  }
}
