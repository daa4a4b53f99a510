import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { DetailWidgetProps, HttpTypes } from "@medusajs/framework/types"
import { toast } from "@medusajs/ui"
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { useTranslation } from "react-i18next"
import { LoadFailedPanel } from "../components/order-panel/load-failed-panel"
import { LoadingPanel } from "../components/order-panel/loading-panel"
import { OrderPanel } from "../components/order-panel/order-panel"
import { paymentsFingerprint, paysysHint } from "../lib/order-payments"
import { intlLocale, PaysysPanelResponse } from "../lib/paysys-panel"
import { sdk } from "../lib/sdk"

/** The order's PaySys payment beside the order: asked only when the order may have one, refetched when Medusa changes its payments. */
const PaysysOrderPanelWidget = ({ data: order }: DetailWidgetProps<HttpTypes.AdminOrder>) => {
  const { t, i18n } = useTranslation()
  const locale = intlLocale(i18n.resolvedLanguage ?? i18n.language)
  const queryClient = useQueryClient()
  const hint = paysysHint(order)
  const queryKey = ["paysys-order-panel", order.id]

  const panel = useQuery({
    queryKey: [...queryKey, paymentsFingerprint(order)],
    queryFn: () => sdk.client.fetch<PaysysPanelResponse>(`/admin/paysys/orders/${order.id}`),
    enabled: hint !== "no",
    placeholderData: keepPreviousData,
    retry: 1,
  })

  const refresh = useMutation({
    mutationFn: () =>
      sdk.client.fetch<PaysysPanelResponse>(`/admin/paysys/orders/${order.id}/refresh`, { method: "POST" }),
    onSuccess: (response) => {
      queryClient.setQueryData([...queryKey, paymentsFingerprint(order)], response)
      const status = response.paysys ? t(`paysys.status.${response.paysys.status}`) : t("paysys.none")
      toast.success(t("paysys.refreshed", { status }))
    },
    onError: (error: Error) => {
      toast.error(t("paysys.refreshFailed", { message: error.message }))
    },
  })

  if (hint === "no") {
    return null
  }
  if (panel.isPending) {
    return <LoadingPanel title={t("paysys.title")} />
  }
  if (panel.isError) {
    return <LoadFailedPanel message={panel.error.message} onRetry={() => panel.refetch()} />
  }
  const paysys = panel.data?.paysys
  if (!paysys) {
    return null
  }
  return (
    <OrderPanel
      paysys={paysys}
      locale={locale}
      stale={panel.isFetching && !panel.isPending}
      refreshing={refresh.isPending}
      onRefresh={() => refresh.mutate()}
      onRecorded={(response) =>
        queryClient.setQueryData<PaysysPanelResponse>([...queryKey, paymentsFingerprint(order)], response)
      }
    />
  )
}

export const config = defineWidgetConfig({
  zone: "order.details.side.after",
  id: "medusa-payment-paysys:order-panel",
})

export default PaysysOrderPanelWidget
