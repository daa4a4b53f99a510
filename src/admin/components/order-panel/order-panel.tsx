import { ArrowPath } from "@medusajs/icons"
import { Button, Container, Heading } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import type { PaysysOrderPanel, PaysysPanelResponse } from "../../lib/paysys-panel"
import { Attempts } from "./attempts"
import { Attention } from "./attention"
import { FormDetails } from "./form-details"
import { History } from "./history"
import { PaymentFields } from "./payment-fields"

/** The order's PaySys payment: a refresh from PaySys, its fields, what needs the merchant, its attempts and history. */
export function OrderPanel({
  paysys,
  locale,
  stale,
  refreshing,
  onRefresh,
  onRecorded,
}: {
  paysys: PaysysOrderPanel
  locale: string | undefined
  /** a newer answer is loading */
  stale: boolean
  refreshing: boolean
  onRefresh: () => void
  onRecorded: (response: PaysysPanelResponse) => void
}) {
  const { t } = useTranslation()
  return (
    <Container className="divide-y p-0" data-testid="paysys-order-panel">
      <div className="flex flex-wrap items-center justify-between gap-2 px-6 py-4">
        <Heading level="h2">{t("paysys.title")}</Heading>
        <Button
          size="small"
          variant="secondary"
          className="whitespace-nowrap"
          onClick={onRefresh}
          isLoading={refreshing}
          data-testid="paysys-refresh"
        >
          <ArrowPath />
          {t("paysys.refresh")}
        </Button>
      </div>
      <PaymentFields paysys={paysys} locale={locale} stale={stale} />
      <Attention paysys={paysys} onRecorded={onRecorded} />
      {paysys.form && <FormDetails paysys={paysys} locale={locale} />}
      <Attempts paysys={paysys} locale={locale} />
      <History paysys={paysys} locale={locale} />
    </Container>
  )
}
