import { useTranslation } from "react-i18next"
import { formatDate } from "../../lib/paysys-panel"
import type { PaysysReconciliationResponse } from "../../lib/paysys-page"
import { Stat } from "./stat"

/** Reconciliation's figures: its last run, what is due or overdue, what waits or is parked, errors of the last hour and day. */
export function ReconciliationStats({
  data,
  locale,
}: {
  data: PaysysReconciliationResponse["reconciliation"]
  locale: string | undefined
}) {
  const { t } = useTranslation()
  const last = data.last_runs[0]
  return (
    <div className="grid grid-cols-2 gap-4 px-6 py-4 md:grid-cols-4">
      <Stat
        label={t("paysys.page.reconciliation.lastRun")}
        value={last ? formatDate(last.started_at, locale) : t("paysys.page.reconciliation.never")}
        testId="paysys-last-run"
        alarm={!last}
      />
      <Stat
        label={t("paysys.page.reconciliation.lastDuration")}
        value={last ? `${last.duration_ms} ms` : null}
        testId="paysys-last-duration"
      />
      <Stat
        label={t("paysys.page.reconciliation.attemptsDue")}
        value={data.attempts_due}
        testId="paysys-attempts-due"
      />
      <Stat
        label={t("paysys.page.reconciliation.attemptsOverdue")}
        value={data.attempts_overdue}
        testId="paysys-attempts-overdue"
        alarm={data.attempts_overdue > 0}
      />
      <Stat
        label={t("paysys.page.reconciliation.notificationsWaiting")}
        value={data.notifications_waiting}
        testId="paysys-notifications-waiting"
      />
      <Stat
        label={t("paysys.page.reconciliation.notificationsParked")}
        value={data.notifications_parked}
        testId="paysys-notifications-parked"
        alarm={data.notifications_parked > 0}
      />
      <Stat
        label={t("paysys.page.reconciliation.lastHour")}
        value={t("paysys.page.reconciliation.errors", {
          errors: data.last_hour.paysys_errors,
          refusals: data.last_hour.rate_refusals,
          runs: data.last_hour.runs,
        })}
        testId="paysys-last-hour"
        alarm={data.last_hour.paysys_errors > 0}
      />
      <Stat
        label={t("paysys.page.reconciliation.lastDay")}
        value={t("paysys.page.reconciliation.errors", {
          errors: data.last_day.paysys_errors,
          refusals: data.last_day.rate_refusals,
          runs: data.last_day.runs,
        })}
        testId="paysys-last-day"
      />
    </div>
  )
}
