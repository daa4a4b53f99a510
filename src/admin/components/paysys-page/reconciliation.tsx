import { Container, Heading, Text } from "@medusajs/ui"
import { useQuery } from "@tanstack/react-query"
import { useTranslation } from "react-i18next"
import { intlLocale } from "../../lib/paysys-panel"
import type { PaysysReconciliationResponse } from "../../lib/paysys-page"
import { sdk } from "../../lib/sdk"
import { ReconciliationRuns } from "./reconciliation-runs"
import { ReconciliationStats } from "./reconciliation-stats"

/** Whether reconciliation runs: its figures, refreshed every minute, and its last runs. */
export function Reconciliation() {
  const { t, i18n } = useTranslation()
  const locale = intlLocale(i18n.resolvedLanguage ?? i18n.language)
  const health = useQuery({
    queryKey: ["paysys-reconciliation"],
    queryFn: () => sdk.client.fetch<PaysysReconciliationResponse>("/admin/paysys/reconciliation"),
    refetchInterval: 60_000,
  })
  const data = health.data?.reconciliation
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
      {data && <ReconciliationStats data={data} locale={locale} />}
      {data && data.last_runs.length > 0 && <ReconciliationRuns runs={data.last_runs} locale={locale} />}
    </Container>
  )
}
