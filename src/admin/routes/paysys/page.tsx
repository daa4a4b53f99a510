import { defineRouteConfig } from "@medusajs/admin-sdk"
import { CreditCard } from "@medusajs/icons"
import { Badge, Button, Container, Heading, Input, Select, Table, Text, toast } from "@medusajs/ui"
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { Link } from "react-router-dom"
import { backendUrl, sdk } from "../../lib/sdk"
import { formatDate, formatMoney, intlLocale } from "../../lib/paysys-panel"
import type {
  PaysysNeedsYouItem,
  PaysysNeedsYouList,
  PaysysPaymentsResponse,
  PaysysReconciliationResponse,
} from "../../lib/paysys-page"
import { PAYMENT_FILTER_STATES } from "../../lib/paysys-page"

const PAGE_SIZE = 20
const NEEDS_YOU_KEY = ["paysys-needs-you"]

/**
 * The merchant's PaySys page: what waits for them (with or without an order) and whether
 * reconciliation runs. Amounts come from the server in major units, formatted as the order panel does.
 */
const PaysysPage = () => {
  return (
    <div className="flex flex-col gap-y-3" data-testid="paysys-page">
      <NeedsYou />
      <Reconciliation />
      <Payments />
    </div>
  )
}

function NeedsYou() {
  const { t, i18n } = useTranslation()
  const locale = intlLocale(i18n.resolvedLanguage ?? i18n.language)
  const [offset, setOffset] = useState(0)
  const list = useQuery({
    queryKey: [...NEEDS_YOU_KEY, offset],
    queryFn: () =>
      sdk.client.fetch<PaysysNeedsYouList>("/admin/paysys/needs-you", { query: { limit: PAGE_SIZE, offset } }),
    placeholderData: keepPreviousData,
  })
  const items = list.data?.items ?? []
  const count = list.data?.count ?? 0
  return (
    <Container className="divide-y p-0" data-testid="paysys-needs-you">
      <div className="flex items-center justify-between px-6 py-4">
        <div>
          <Heading level="h1">{t("paysys.page.needsYou.title")}</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            {t("paysys.page.needsYou.description")}
          </Text>
        </div>
        <Badge color={count ? "red" : "green"} data-testid="paysys-needs-you-count">
          {count}
        </Badge>
      </div>
      {list.isError && (
        <Text size="small" className="px-6 py-4 text-ui-fg-error">
          {t("paysys.loadFailed", { message: list.error.message })}
        </Text>
      )}
      {!list.isPending && !items.length && !list.isError && (
        <Text size="small" className="px-6 py-4 text-ui-fg-subtle" data-testid="paysys-needs-you-empty">
          {t("paysys.page.needsYou.empty")}
        </Text>
      )}
      {items.length > 0 && (
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>{t("paysys.fields.amount")}</Table.HeaderCell>
              <Table.HeaderCell>{t("paysys.fields.card")}</Table.HeaderCell>
              <Table.HeaderCell>{t("paysys.fields.paidAt")}</Table.HeaderCell>
              <Table.HeaderCell>{t("paysys.page.needsYou.why")}</Table.HeaderCell>
              <Table.HeaderCell>{t("paysys.page.needsYou.todo")}</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {items.map((item) => (
              <Table.Row
                key={item.key}
                data-testid={`paysys-needs-you-${item.kind}`}
                data-partner-trans-id={item.partner_trans_id ?? ""}
              >
                <Table.Cell className="whitespace-nowrap">
                  {item.currency ? formatMoney(item.amount_major, item.currency, locale) : t("paysys.none")}
                </Table.Cell>
                <Table.Cell className="font-mono">{item.card_masked ?? t("paysys.none")}</Table.Cell>
                <Table.Cell className="whitespace-nowrap">
                  {formatDate(item.paid_at, locale) ?? t("paysys.none")}
                </Table.Cell>
                <Table.Cell>
                  <div className="flex flex-col py-2">
                    <Text size="small" leading="compact">
                      {t(`paysys.page.needsYou.kinds.${item.kind}`)}
                    </Text>
                    <Text size="xsmall" className="text-ui-fg-subtle">
                      {[item.partner_trans_id, item.reason].filter(Boolean).join(" · ")}
                    </Text>
                    {item.order_id ? (
                      <Link to={`/orders/${item.order_id}`} className="text-ui-fg-interactive txt-compact-xsmall">
                        {t("paysys.page.order")}
                      </Link>
                    ) : (
                      <Text size="xsmall" className="text-ui-fg-error">
                        {t("paysys.page.noOrder")}
                      </Text>
                    )}
                  </div>
                </Table.Cell>
                <Table.Cell>
                  <Action item={item} />
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
      {count > PAGE_SIZE && (
        <Table.Pagination
          count={count}
          pageSize={PAGE_SIZE}
          pageIndex={offset / PAGE_SIZE}
          pageCount={Math.ceil(count / PAGE_SIZE)}
          canPreviousPage={offset > 0}
          canNextPage={offset + PAGE_SIZE < count}
          previousPage={() => setOffset(Math.max(0, offset - PAGE_SIZE))}
          nextPage={() => setOffset(offset + PAGE_SIZE)}
        />
      )}
    </Container>
  )
}

/** What takes the item off the list: the plugin's own action, recorded with who took it. */
function Action({ item }: { item: PaysysNeedsYouItem }) {
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

function Reconciliation() {
  const { t, i18n } = useTranslation()
  const locale = intlLocale(i18n.resolvedLanguage ?? i18n.language)
  const health = useQuery({
    queryKey: ["paysys-reconciliation"],
    queryFn: () => sdk.client.fetch<PaysysReconciliationResponse>("/admin/paysys/reconciliation"),
    refetchInterval: 60_000,
  })
  const data = health.data?.reconciliation
  const last = data?.last_runs[0]
  const stat = (label: string, value: number | string | null | undefined, testId: string, alarm = false) => (
    <div className="flex flex-col" data-testid={testId}>
      <Text size="xsmall" className="text-ui-fg-subtle">
        {label}
      </Text>
      <Text size="small" weight="plus" className={alarm ? "text-ui-fg-error" : undefined}>
        {value ?? t("paysys.none")}
      </Text>
    </div>
  )
  return (
    <Container className="divide-y p-0" data-testid="paysys-reconciliation">
      <div className="px-6 py-4">
        <Heading level="h2">{t("paysys.page.reconciliation.title")}</Heading>
        <Text size="small" className="text-ui-fg-subtle">
          {t("paysys.page.reconciliation.description")}
        </Text>
      </div>
      {health.isError && (
        <Text size="small" className="px-6 py-4 text-ui-fg-error">
          {t("paysys.loadFailed", { message: health.error.message })}
        </Text>
      )}
      {data && (
        <div className="grid grid-cols-2 gap-4 px-6 py-4 md:grid-cols-4">
          {stat(
            t("paysys.page.reconciliation.lastRun"),
            last ? formatDate(last.started_at, locale) : t("paysys.page.reconciliation.never"),
            "paysys-last-run",
            !last
          )}
          {stat(
            t("paysys.page.reconciliation.lastDuration"),
            last ? `${last.duration_ms} ms` : null,
            "paysys-last-duration"
          )}
          {stat(t("paysys.page.reconciliation.attemptsDue"), data.attempts_due, "paysys-attempts-due")}
          {stat(
            t("paysys.page.reconciliation.attemptsOverdue"),
            data.attempts_overdue,
            "paysys-attempts-overdue",
            data.attempts_overdue > 0
          )}
          {stat(
            t("paysys.page.reconciliation.notificationsWaiting"),
            data.notifications_waiting,
            "paysys-notifications-waiting"
          )}
          {stat(
            t("paysys.page.reconciliation.notificationsParked"),
            data.notifications_parked,
            "paysys-notifications-parked",
            data.notifications_parked > 0
          )}
          {stat(
            t("paysys.page.reconciliation.lastHour"),
            t("paysys.page.reconciliation.errors", {
              errors: data.last_hour.paysys_errors,
              refusals: data.last_hour.rate_refusals,
              runs: data.last_hour.runs,
            }),
            "paysys-last-hour",
            data.last_hour.paysys_errors > 0
          )}
          {stat(
            t("paysys.page.reconciliation.lastDay"),
            t("paysys.page.reconciliation.errors", {
              errors: data.last_day.paysys_errors,
              refusals: data.last_day.rate_refusals,
              runs: data.last_day.runs,
            }),
            "paysys-last-day"
          )}
        </div>
      )}
      {data && data.last_runs.length > 0 && (
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>{t("paysys.page.reconciliation.run")}</Table.HeaderCell>
              <Table.HeaderCell>{t("paysys.page.reconciliation.notifications")}</Table.HeaderCell>
              <Table.HeaderCell>{t("paysys.page.reconciliation.attempts")}</Table.HeaderCell>
              <Table.HeaderCell>{t("paysys.page.reconciliation.failed")}</Table.HeaderCell>
              <Table.HeaderCell>{t("paysys.page.reconciliation.paysysErrors")}</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {data.last_runs.map((run) => (
              <Table.Row key={run.id}>
                <Table.Cell>
                  {formatDate(run.started_at, locale)}
                  {run.skipped ? ` · ${t("paysys.page.reconciliation.skipped")}` : ""}
                  {run.budget_spent ? ` · ${t("paysys.page.reconciliation.budgetSpent")}` : ""}
                </Table.Cell>
                <Table.Cell>{run.notifications}</Table.Cell>
                <Table.Cell>{run.attempts}</Table.Cell>
                <Table.Cell>{run.failed}</Table.Cell>
                <Table.Cell>
                  {run.paysys_errors} / {run.rate_refusals}
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
    </Container>
  )
}

type PaymentFilters = { from: string; to: string; state: string; method: string; currency: string }

/** The ledger's payments and refunds by day, state, method and currency, with totals per day and a CSV for the accountant. */
function Payments() {
  const { t, i18n } = useTranslation()
  const locale = intlLocale(i18n.resolvedLanguage ?? i18n.language)
  // the merchant's own day (en-CA writes YYYY-MM-DD): a store in Tashkent sees the cabinet's day
  const today = new Date().toLocaleDateString("en-CA")
  const [filters, setFilters] = useState<PaymentFilters>({
    from: today,
    to: today,
    state: "",
    method: "",
    currency: "",
  })
  const [offset, setOffset] = useState(0)
  const query = Object.fromEntries(Object.entries(filters).filter(([, value]) => value))
  const payments = useQuery({
    queryKey: ["paysys-payments", query, offset],
    queryFn: () =>
      sdk.client.fetch<PaysysPaymentsResponse>("/admin/paysys/payments", {
        query: { ...query, limit: PAGE_SIZE, offset },
      }),
    placeholderData: keepPreviousData,
  })
  const set = (key: keyof PaymentFilters) => (value: string) => {
    setOffset(0)
    setFilters({ ...filters, [key]: value === "all" ? "" : value })
  }
  const exportCsv = async () => {
    const url = new URL(`${backendUrl.replace(/\/$/, "")}/admin/paysys/payments/export`, window.location.origin)
    Object.entries(query).forEach(([key, value]) => url.searchParams.set(key, value))
    const response = await fetch(url, { credentials: "include" })
    if (!response.ok) {
      toast.error(t("paysys.loadFailed", { message: response.statusText }))
      return
    }
    const link = document.createElement("a")
    link.href = URL.createObjectURL(await response.blob())
    link.download = `paysys-${filters.from || "all"}-${filters.to || today}.csv`
    link.click()
    URL.revokeObjectURL(link.href)
  }
  const select = (key: keyof PaymentFilters, options: string[], label: (value: string) => string) => (
    <Select size="small" value={filters[key] || "all"} onValueChange={set(key)}>
      <Select.Trigger className="w-40" data-testid={`paysys-payments-${key}`}>
        <Select.Value />
      </Select.Trigger>
      <Select.Content>
        <Select.Item value="all">{t(`paysys.page.payments.all.${key}`)}</Select.Item>
        {options.map((option) => (
          <Select.Item key={option} value={option}>
            {label(option)}
          </Select.Item>
        ))}
      </Select.Content>
    </Select>
  )
  const data = payments.data
  return (
    <Container className="divide-y p-0" data-testid="paysys-payments">
      <div className="flex flex-wrap items-center justify-between gap-2 px-6 py-4">
        <div>
          <Heading level="h2">{t("paysys.page.payments.title")}</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            {t("paysys.page.payments.description")}
          </Text>
        </div>
        <Button size="small" variant="secondary" onClick={exportCsv} data-testid="paysys-payments-export">
          {t("paysys.page.payments.export")}
        </Button>
      </div>
      <div className="flex flex-wrap items-center gap-2 px-6 py-4">
        <Input
          size="small"
          type="date"
          className="w-40"
          value={filters.from}
          onChange={(event) => set("from")(event.target.value)}
          aria-label={t("paysys.page.payments.from")}
        />
        <Input
          size="small"
          type="date"
          className="w-40"
          value={filters.to}
          onChange={(event) => set("to")(event.target.value)}
          aria-label={t("paysys.page.payments.to")}
        />
        {select("state", PAYMENT_FILTER_STATES, (state) => t(`paysys.page.payments.states.${state}`))}
        {select("method", ["card", "form"], (method) => t(`paysys.page.payments.methods.${method}`))}
        {select("currency", ["uzs", "usd"], (currency) => currency.toUpperCase())}
      </div>
      {data && data.totals.length > 0 && (
        <div className="flex flex-col gap-y-1 px-6 py-4" data-testid="paysys-payments-totals">
          {data.totals.map((total) => (
            <Text key={`${total.day}-${total.type}-${total.currency}`} size="small">
              {t("paysys.page.payments.total", {
                day: total.day,
                type: t(`paysys.page.payments.types.${total.type}`),
                count: total.count,
                amount: formatMoney(total.amount_major, total.currency, locale),
              })}
            </Text>
          ))}
        </div>
      )}
      {data && (
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>{t("paysys.page.payments.date")}</Table.HeaderCell>
              <Table.HeaderCell>{t("paysys.fields.transactionId")}</Table.HeaderCell>
              <Table.HeaderCell>{t("paysys.fields.partnerTransId")}</Table.HeaderCell>
              <Table.HeaderCell>{t("paysys.fields.amount")}</Table.HeaderCell>
              <Table.HeaderCell>{t("paysys.fields.status")}</Table.HeaderCell>
              <Table.HeaderCell>{t("paysys.fields.rrn")}</Table.HeaderCell>
              <Table.HeaderCell>{t("paysys.page.payments.order")}</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {data.payments.map((row) => (
              <Table.Row key={row.id} data-testid={`paysys-payment-${row.type}`}>
                <Table.Cell className="whitespace-nowrap">{formatDate(row.at, locale)}</Table.Cell>
                <Table.Cell className="font-mono">{row.transaction_id ?? t("paysys.none")}</Table.Cell>
                <Table.Cell className="font-mono">{row.partner_trans_id}</Table.Cell>
                <Table.Cell className="whitespace-nowrap">
                  {row.type === "refund" ? "− " : ""}
                  {formatMoney(row.amount_major, row.currency, locale)}
                </Table.Cell>
                <Table.Cell>{`${t(`paysys.page.payments.types.${row.type}`)} · ${row.status}`}</Table.Cell>
                <Table.Cell className="font-mono">{row.rrn ?? t("paysys.none")}</Table.Cell>
                <Table.Cell>
                  {row.order_id ? (
                    <Link to={`/orders/${row.order_id}`} className="text-ui-fg-interactive">
                      {t("paysys.page.order")}
                    </Link>
                  ) : (
                    t("paysys.none")
                  )}
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
      {data && data.count > PAGE_SIZE && (
        <Table.Pagination
          count={data.count}
          pageSize={PAGE_SIZE}
          pageIndex={offset / PAGE_SIZE}
          pageCount={Math.ceil(data.count / PAGE_SIZE)}
          canPreviousPage={offset > 0}
          canNextPage={offset + PAGE_SIZE < data.count}
          previousPage={() => setOffset(Math.max(0, offset - PAGE_SIZE))}
          nextPage={() => setOffset(offset + PAGE_SIZE)}
        />
      )}
    </Container>
  )
}

export const config = defineRouteConfig({
  label: "PaySys",
  icon: CreditCard,
})

export default PaysysPage
