import { Copy, Text, clx } from "@medusajs/ui"
import type { ReactNode } from "react"
import { useTranslation } from "react-i18next"

/** One field of the panel: its title, its value (or "none"), monospaced or with a copy button when asked. */
export function Row({
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
