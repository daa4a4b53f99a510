import { Text } from "@medusajs/ui"
import { useTranslation } from "react-i18next"

/** One figure: its label above its value ("none" when missing), red when it calls for the merchant. */
export function Stat({
  label,
  value,
  testId,
  alarm = false,
}: {
  label: string
  value: number | string | null | undefined
  testId: string
  alarm?: boolean
}) {
  const { t } = useTranslation()
  return (
    <div className="flex flex-col" data-testid={testId}>
      <Text size="xsmall" className="text-ui-fg-subtle">
        {label}
      </Text>
      <Text size="small" weight="plus" className={alarm ? "text-ui-fg-error" : undefined}>
        {value ?? t("paysys.none")}
      </Text>
    </div>
  )
}
