import { Button, Container, Heading, Text } from "@medusajs/ui"
import { useTranslation } from "react-i18next"

/** The panel when its answer failed: why, and a retry. */
export function LoadFailedPanel({ message, onRetry }: { message: string; onRetry: () => void }) {
  const { t } = useTranslation()
  return (
    <Container className="divide-y p-0" data-testid="paysys-order-panel">
      <div className="flex items-center justify-between px-6 py-4">
        <Heading level="h2">{t("paysys.title")}</Heading>
      </div>
      <div className="flex flex-col gap-y-3 px-6 py-4">
        <Text size="small" className="text-ui-fg-error" data-testid="paysys-error">
          {t("paysys.loadFailed", { message })}
        </Text>
        <div>
          <Button size="small" variant="secondary" onClick={onRetry}>
            {t("paysys.retry")}
          </Button>
        </div>
      </div>
    </Container>
  )
}
