import { Text, clx } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import { historyDetails, historyDotColor, historyTitle } from "../../lib/paysys-history"
import { formatDate, type PaysysOrderPanel } from "../../lib/paysys-panel"

/** The payment's life as a timeline. */
export function History({ paysys, locale }: { paysys: PaysysOrderPanel; locale: string | undefined }) {
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
                <span className={clx("size-2 rounded-full", historyDotColor(entry))} />
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
