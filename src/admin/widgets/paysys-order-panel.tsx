import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { DetailWidgetProps, HttpTypes } from "@medusajs/framework/types"
import { ArrowPath } from "@medusajs/icons"
import { Button, Container, Copy, Heading, Input, Skeleton, StatusBadge, Text, clx, toast } from "@medusajs/ui"
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { useState, type ReactNode } from "react"
import { useTranslation } from "react-i18next"
import { sdk } from "../lib/sdk"
import {
  formatDate,
  formatMoney,
  intlLocale,
  PaysysHistoryEntry,
  PaysysOrderPanel,
  PaysysPanelResponse,
  STATUS_COLOR,
} from "../lib/paysys-panel"
import { isPaysysProviderId } from "../../providers/provider-ids"

/**
 * What the order page already knows about the order's payments: "no" when it lists them and
 * none is PaySys (nothing to ask), "unknown" when the page's data does not say.
 */
function paysysHint(order: HttpTypes.AdminOrder): "yes" | "no" | "unknown" {
  const payments = order.payment_collections?.flatMap((collection) => collection.payments ?? [])
  if (!order.payment_collections || payments?.some((payment) => !payment.provider_id)) {
    return "unknown"
  }
  return payments?.some((payment) => isPaysysProviderId(payment.provider_id)) ? "yes" : "no"
}

/** Changes when Medusa's own admin flows (refund, cancel) change the order's payments. */
function paymentsFingerprint(order: HttpTypes.AdminOrder): string {
  return JSON.stringify([
    order.status,
    order.payment_status,
    order.payment_collections?.map((collection) =>
      collection.payments?.map((payment) => [
        payment.id,
        payment.refunds?.length ?? 0,
        payment.captured_at,
        payment.canceled_at,
      ])
    ),
  ])
}

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
    return (
      <Container className="divide-y p-0" data-testid="paysys-order-panel">
        <div className="flex items-center justify-between px-6 py-4">
          <Heading level="h2">{t("paysys.title")}</Heading>
        </div>
        <div className="flex flex-col gap-y-3 px-6 py-4">
          <Text size="small" className="text-ui-fg-error" data-testid="paysys-error">
            {t("paysys.loadFailed", { message: panel.error.message })}
          </Text>
          <div>
            <Button size="small" variant="secondary" onClick={() => panel.refetch()}>
              {t("paysys.retry")}
            </Button>
          </div>
        </div>
      </Container>
    )
  }
  const paysys = panel.data?.paysys
  if (!paysys) {
    return null
  }

  const none = t("paysys.none")
  const date = (value: string | null) => formatDate(value, locale) ?? none
  const refunded =
    paysys.refunded_amount !== "0" ? formatMoney(paysys.refunded_amount_major, paysys.currency, locale) : null

  return (
    <Container className="divide-y p-0" data-testid="paysys-order-panel">
      <div className="flex flex-wrap items-center justify-between gap-2 px-6 py-4">
        <Heading level="h2">{t("paysys.title")}</Heading>
        <Button
          size="small"
          variant="secondary"
          className="whitespace-nowrap"
          onClick={() => refresh.mutate()}
          isLoading={refresh.isPending}
          data-testid="paysys-refresh"
        >
          <ArrowPath />
          {t("paysys.refresh")}
        </Button>
      </div>
      <div className={clx("divide-y", { "opacity-60": panel.isFetching && !panel.isPending })}>
        <Row
          testId="paysys-transaction-id"
          title={t("paysys.fields.transactionId")}
          value={paysys.transaction_id}
          copy
        />
        <Row
          testId="paysys-partner-trans-id"
          title={t("paysys.fields.partnerTransId")}
          value={paysys.partner_trans_id}
          copy
        />
        {paysys.attempt > 1 && (
          <Row testId="paysys-attempt" title={t("paysys.fields.attempt")} value={String(paysys.attempt)} />
        )}
        <Row
          testId="paysys-status-code"
          title={t("paysys.fields.status")}
          value={
            <>
              <StatusBadge
                color={STATUS_COLOR[paysys.status]}
                className="whitespace-nowrap"
                data-testid="paysys-status"
              >
                {t(`paysys.status.${paysys.status}`)}
              </StatusBadge>
              {paysys.paysys_status !== null && <span className="text-ui-fg-muted">({paysys.paysys_status})</span>}
            </>
          }
        />
        <Row
          testId="paysys-amount"
          title={t("paysys.fields.amount")}
          value={formatMoney(paysys.amount_major, paysys.currency, locale)}
        />
        {refunded && <Row testId="paysys-refunded" title={t("paysys.fields.refunded")} value={refunded} />}
        <Row testId="paysys-card" title={t("paysys.fields.card")} value={paysys.card_masked} mono />
        <Row testId="paysys-rrn" title={t("paysys.fields.rrn")} value={paysys.rrn} mono copy />
        <Row testId="paysys-approval-code" title={t("paysys.fields.approvalCode")} value={paysys.approval_code} mono />
        <Row testId="paysys-three-ds" title={t("paysys.fields.threeDs")} value={paysys.three_ds} />
        {paysys.error && (
          <Row
            testId="paysys-error-field"
            title={t("paysys.fields.error")}
            value={`${paysys.error.message} (${paysys.error.code})`}
          />
        )}
        <Row testId="paysys-paid-at" title={t("paysys.fields.paidAt")} value={date(paysys.paid_at)} />
        {paysys.canceled_at && (
          <Row testId="paysys-canceled-at" title={t("paysys.fields.canceledAt")} value={date(paysys.canceled_at)} />
        )}
        <Row testId="paysys-checked-at" title={t("paysys.fields.checkedAt")} value={date(paysys.checked_at)} />
      </div>
      <Attention
        paysys={paysys}
        onRecorded={(response) =>
          queryClient.setQueryData<PaysysPanelResponse>([...queryKey, paymentsFingerprint(order)], response)
        }
      />
      {paysys.form && <FormDetails paysys={paysys} locale={locale} />}
      <Attempts paysys={paysys} locale={locale} />
      <History paysys={paysys} locale={locale} />
    </Container>
  )
}

/**
 * What the plugin cannot settle from PaySys's word alone. A refund made in the PaySys cabinet
 * is recorded here with the amount the merchant reads there: PaySys's notification does not
 * say how much, so the plugin never books it by itself.
 */
function Attention({
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
            {t(`paysys.attention.${item.type}`, {
              amount: "amount_major" in item ? `${item.amount_major} ${item.currency.toUpperCase()}` : "",
              id:
                "partner_trans_id" in item
                  ? item.partner_trans_id
                  : "notification_id" in item
                    ? item.notification_id
                    : "",
              reason: "reason" in item ? (item.reason ?? "") : "",
            })}
          </Text>
          {item.type === "refund_unknown" && (
            <div className="flex items-center gap-x-2">
              {([true, false] as const).map((made) => (
                <Button
                  key={String(made)}
                  size="small"
                  variant="secondary"
                  isLoading={settle.isPending && settle.variables?.made === made}
                  disabled={settle.isPending}
                  onClick={() => settle.mutate({ refundId: item.refund_id, made })}
                  data-testid={made ? "paysys-refund-made" : "paysys-refund-not-made"}
                >
                  {t(made ? "paysys.attention.refundMade" : "paysys.attention.refundNotMade")}
                </Button>
              ))}
            </div>
          )}
          {item.type === "refund_unexplained" && (
            <form
              className="flex items-center gap-x-2"
              onSubmit={(event) => {
                event.preventDefault()
                record.mutate()
              }}
            >
              <Input
                size="small"
                inputMode="decimal"
                placeholder={t("paysys.attention.amount", { currency: paysys.currency.toUpperCase() })}
                aria-label={t("paysys.attention.amount", { currency: paysys.currency.toUpperCase() })}
                value={amount}
                onChange={(event) => setAmount(event.target.value)}
                data-testid="paysys-record-amount"
              />
              <Button
                size="small"
                variant="secondary"
                type="submit"
                isLoading={record.isPending}
                disabled={!amount.trim()}
              >
                {t("paysys.attention.record")}
              </Button>
            </form>
          )}
        </div>
      ))}
    </div>
  )
}

/** A payment through PaySys's hosted form: its AGR_TRANS_ID, card type, environment, PaySys's calls and the receipt sent. */
function FormDetails({ paysys, locale }: { paysys: PaysysOrderPanel; locale: string | undefined }) {
  const { t } = useTranslation()
  const form = paysys.form!
  const none = t("paysys.none")
  return (
    <div data-testid="paysys-form">
      <Row testId="paysys-form-agr-trans-id" title={t("paysys.form.agrTransId")} value={form.agr_trans_id} mono copy />
      <Row
        testId="paysys-form-vendor-trans-id"
        title={t("paysys.form.vendorTransId")}
        value={String(form.vendor_trans_id)}
        mono
      />
      <Row testId="paysys-form-card-type" title={t("paysys.form.cardType")} value={form.payment_name} />
      <Row
        testId="paysys-form-environment"
        title={t("paysys.form.environment")}
        value={form.environment ? t(`paysys.form.environments.${form.environment}`) : null}
      />
      <div className="flex flex-col gap-y-2 px-6 py-4" data-testid="paysys-form-callbacks">
        <Text size="small" weight="plus" leading="compact">
          {t("paysys.form.callbacks")}
        </Text>
        {form.callbacks.length === 0 && (
          <Text size="small" className="text-ui-fg-subtle">
            {none}
          </Text>
        )}
        {form.callbacks.map((callback, index) => (
          <Text
            key={`${callback.at}-${index}`}
            size="xsmall"
            leading="compact"
            className="text-ui-fg-subtle"
            data-testid="paysys-form-callback"
          >
            {[formatDate(callback.at, locale), callback.event, callback.detail].filter(Boolean).join(" · ")}
          </Text>
        ))}
      </div>
      <div className="flex flex-col gap-y-2 px-6 py-4" data-testid="paysys-form-receipt">
        <Text size="small" weight="plus" leading="compact">
          {t("paysys.form.receipt")}
        </Text>
        <Text size="xsmall" className="text-ui-fg-subtle whitespace-pre-wrap font-mono">
          {form.receipt ? JSON.stringify(form.receipt, null, 2) : t("paysys.form.noReceipt")}
        </Text>
      </div>
    </div>
  )
}

/** Every PaySys attempt of the order's cart: which one paid the order, which were given back, and why. */
function Attempts({ paysys, locale }: { paysys: PaysysOrderPanel; locale: string | undefined }) {
  const { t } = useTranslation()
  if (paysys.attempts.length < 2) {
    return null
  }
  return (
    <div className="flex flex-col gap-y-2 px-6 py-4" data-testid="paysys-attempts">
      <Text size="small" weight="plus" leading="compact">
        {t("paysys.attempts.title")}
      </Text>
      {paysys.attempts.map((attempt) => (
        <div key={attempt.partner_trans_id} className="flex flex-col" data-testid="paysys-attempt-row">
          <Text size="small" leading="compact" className="font-mono">
            {attempt.partner_trans_id}
          </Text>
          <Text size="xsmall" leading="compact" className="text-ui-fg-subtle">
            {[
              t(`paysys.attempts.state.${attempt.state}`, { defaultValue: attempt.state }),
              attempt.outcome ? t(`paysys.outcome.${attempt.outcome}`, { defaultValue: attempt.outcome }) : null,
              formatMoney(attempt.amount_major, attempt.currency, locale),
            ]
              .filter(Boolean)
              .join(" · ")}
          </Text>
        </div>
      ))}
    </div>
  )
}

function Row({
  title,
  value,
  testId,
  mono,
  copy,
}: {
  title: string
  value: ReactNode | null
  testId: string
  mono?: boolean
  copy?: boolean
}) {
  const { t } = useTranslation()
  const empty = value === null || value === undefined || value === ""
  return (
    <div className="text-ui-fg-subtle grid grid-cols-2 items-center gap-x-2 px-6 py-3">
      <Text size="small" weight="plus" leading="compact">
        {title}
      </Text>
      <div className="flex min-w-0 items-center gap-x-1">
        {empty || typeof value === "string" ? (
          <Text
            size="small"
            leading="compact"
            className={clx("min-w-0 break-words", { "font-mono": mono && !empty })}
            data-testid={testId}
          >
            {empty ? t("paysys.none") : value}
          </Text>
        ) : (
          <div className="txt-compact-small flex min-w-0 flex-wrap items-center gap-x-2" data-testid={testId}>
            {value}
          </div>
        )}
        {copy && !empty && typeof value === "string" && <Copy content={value} className="text-ui-fg-muted" />}
      </div>
    </div>
  )
}

function History({ paysys, locale }: { paysys: PaysysOrderPanel; locale: string | undefined }) {
  const { t } = useTranslation()
  // newest first, as the dashboard's own activity list
  const entries = [...paysys.history].reverse()
  return (
    <div className="flex flex-col gap-y-3 px-6 py-4" data-testid="paysys-history">
      <Text size="small" weight="plus" leading="compact">
        {t("paysys.history.title")}
      </Text>
      {entries.length === 0 ? (
        <Text size="small" className="text-ui-fg-muted">
          {t("paysys.history.empty")}
        </Text>
      ) : (
        <ol className="flex flex-col gap-y-3">
          {entries.map((entry, index) => (
            <li
              key={`${entry.type}-${entry.at}-${index}`}
              className="flex gap-x-3"
              data-testid={`paysys-history-${entry.type}`}
            >
              <div className="flex flex-col items-center pt-1">
                <span className={clx("size-2 rounded-full", dotColor(entry))} />
                {index < entries.length - 1 && <span className="bg-ui-border-base mt-1 w-px flex-1" />}
              </div>
              <div className="flex min-w-0 flex-col">
                <Text size="small" weight="plus" leading="compact" className="text-ui-fg-base">
                  {historyTitle(entry, t)}
                </Text>
                {historyDetails(entry, t, locale).map((line) => (
                  <Text key={line} size="xsmall" leading="compact" className="text-ui-fg-subtle break-words">
                    {line}
                  </Text>
                ))}
                <Text size="xsmall" leading="compact" className="text-ui-fg-muted">
                  {formatDate(entry.at, locale)}
                </Text>
              </div>
            </li>
          ))}
        </ol>
      )}
    </div>
  )
}

type T = ReturnType<typeof useTranslation>["t"]

function historyTitle(entry: PaysysHistoryEntry, t: T): string {
  switch (entry.type) {
    case "paid":
      return t("paysys.history.paid")
    case "captured":
      return t("paysys.history.captured")
    case "notification":
      return t("paysys.history.notification", {
        status: `${t(`paysys.status.${entry.status}`)} (${entry.reported_status})`,
      })
    case "refund":
      return entry.refund_id === null
        ? t("paysys.history.refundUnrecorded")
        : entry.via === "cancel"
          ? t("paysys.history.refundByCancel")
          : entry.via === "paysys"
            ? t("paysys.history.refundAtPaysys")
            : t("paysys.history.refund")
    case "cancellation":
      return entry.source === "medusa" ? t("paysys.history.medusaCancellation") : t("paysys.history.cancellation")
  }
}

function historyDetails(entry: PaysysHistoryEntry, t: T, locale: string | undefined): string[] {
  const lines: string[] = []
  const amount = formatMoney(entry.amount_major, entry.currency, locale)
  if (amount && entry.type !== "cancellation") {
    lines.push(amount)
  }
  if (entry.type === "notification") {
    const facts = [
      entry.partner_trans_id,
      entry.processed_at
        ? entry.outcome
          ? t(`paysys.outcome.${entry.outcome}`, { defaultValue: entry.outcome })
          : null
        : t("paysys.history.unprocessed"),
      entry.deliveries > 1 ? t("paysys.history.deliveries", { count: entry.deliveries }) : null,
    ]
    lines.push(facts.filter(Boolean).join(" · "))
    if (entry.last_error && !entry.processed_at) {
      lines.push(t("paysys.history.lastError", { error: entry.last_error }))
    }
  }
  if (entry.type === "refund") {
    if (entry.reason) {
      lines.push(entry.reason)
    }
    if (entry.note) {
      lines.push(t("paysys.history.note", { note: entry.note }))
    }
  }
  return lines
}

function dotColor(entry: PaysysHistoryEntry): string {
  switch (entry.type) {
    case "paid":
    case "captured":
      return "bg-ui-tag-green-icon"
    case "notification":
      return entry.status === "failed"
        ? "bg-ui-tag-red-icon"
        : entry.status === "waiting"
          ? "bg-ui-tag-orange-icon"
          : "bg-ui-tag-blue-icon"
    default:
      return "bg-ui-tag-neutral-icon"
  }
}

function LoadingPanel({ title }: { title: string }) {
  return (
    <Container className="divide-y p-0" data-testid="paysys-order-panel-loading" aria-busy>
      <div className="flex items-center justify-between px-6 py-4">
        <Heading level="h2">{title}</Heading>
        <Skeleton className="h-7 w-32" />
      </div>
      {[0, 1, 2, 3, 4].map((row) => (
        <div key={row} className="grid grid-cols-2 items-center gap-x-2 px-6 py-4">
          <Skeleton className="h-4 w-24" />
          <Skeleton className="h-4 w-full" />
        </div>
      ))}
    </Container>
  )
}

export const config = defineWidgetConfig({
  zone: "order.details.side.after",
  id: "medusa-payment-paysys:order-panel",
})

export default PaysysOrderPanelWidget
