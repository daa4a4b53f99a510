import { Table } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import { formatDate } from "../../lib/paysys-panel"
import type { PaysysReconciliationResponse } from "../../lib/paysys-page"

type Run = PaysysReconciliationResponse["reconciliation"]["last_runs"][number]

/** Reconciliation's last runs: when, whether skipped or out of budget, and what each settled or failed. */
export function ReconciliationRuns({ runs, locale }: { runs: Run[]; locale: string | undefined }) {
  const { t } = useTranslation()
  return (
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
        {runs.map((run) => (
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
  )
}
