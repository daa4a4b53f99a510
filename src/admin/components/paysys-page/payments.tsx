import { Button, Container, Heading, Text, toast } from "@medusajs/ui"
import { keepPreviousData, useQuery } from "@tanstack/react-query"
import { useEffect, useState } from "react"
import { useTranslation } from "react-i18next"
import { dayIn, paymentsQuery, type PaymentFilters } from "../../lib/payment-filters"
import { downloadPaymentsCsv } from "../../lib/payments-export"
import { intlLocale } from "../../lib/paysys-panel"
import { PAGE_SIZE, type PaysysPaymentsResponse } from "../../lib/paysys-page"
import { sdk } from "../../lib/sdk"
import { PagePagination } from "./page-pagination"
import { PaymentFiltersBar } from "./payment-filters-bar"
import { PaymentsTable } from "./payments-table"
import { PaymentsTotals } from "./payments-totals"

/** The ledger's payments and refunds by day, state, method and currency, with totals per day and a CSV for the accountant. */
export function Payments() {
  const { t, i18n } = useTranslation()
  const locale = intlLocale(i18n.resolvedLanguage ?? i18n.language)
  const [filters, setFilters] = useState<PaymentFilters>(() => {
    const today = dayIn()
    return { from: today, to: today, state: "", method: "", currency: "" }
  })
  // the list opens on the report's today: the browser's until the first answer names the report's
  // time zone, then that zone's, unless the merchant has chosen days by then
  const [daysChosen, setDaysChosen] = useState(false)
  const [offset, setOffset] = useState(0)
  const query = paymentsQuery(filters)
  const payments = useQuery({
    queryKey: ["paysys-payments", query, offset],
    queryFn: () =>
      sdk.client.fetch<PaysysPaymentsResponse>("/admin/paysys/payments", {
        query: { ...query, limit: PAGE_SIZE, offset },
      }),
    placeholderData: keepPreviousData,
  })
  const timeZone = payments.data?.time_zone
  useEffect(() => {
    if (timeZone === undefined || daysChosen) {
      return
    }
    const today = dayIn(timeZone)
    setFilters((current) =>
      current.from === today && current.to === today ? current : { ...current, from: today, to: today }
    )
  }, [timeZone, daysChosen])
  const today = dayIn(timeZone)
  const set = (key: keyof PaymentFilters, value: string) => {
    setOffset(0)
    setDaysChosen(daysChosen || key === "from" || key === "to")
    setFilters({ ...filters, [key]: value === "all" ? "" : value })
  }
  const exportCsv = async () => {
    const failure = await downloadPaymentsCsv(query, `paysys-${filters.from || "all"}-${filters.to || today}.csv`)
    if (failure !== null) {
      toast.error(t("paysys.loadFailed", { message: failure }))
    }
  }
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
      <PaymentFiltersBar filters={filters} onChange={set} />
      {data && data.totals.length > 0 && <PaymentsTotals totals={data.totals} locale={locale} />}
      {data && <PaymentsTable payments={data.payments} locale={locale} />}
      {data && <PagePagination count={data.count} offset={offset} onOffsetChange={setOffset} />}
    </Container>
  )
}
