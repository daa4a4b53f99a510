import { Select } from "@medusajs/ui"
import { useTranslation } from "react-i18next"

/** One of the Payments filters' choices: "all" (its value "") first, then its options. */
export function FilterSelect({
  name,
  value,
  options,
  label,
  onChange,
}: {
  name: "state" | "method" | "currency"
  value: string
  options: string[]
  label: (value: string) => string
  onChange: (value: string) => void
}) {
  const { t } = useTranslation()
  return (
    <Select size="small" value={value || "all"} onValueChange={onChange}>
      <Select.Trigger className="w-40" data-testid={`paysys-payments-${name}`}>
        <Select.Value />
      </Select.Trigger>
      <Select.Content>
        <Select.Item value="all">{t(`paysys.page.payments.all.${name}`)}</Select.Item>
        {options.map((option) => (
          <Select.Item key={option} value={option}>
            {label(option)}
          </Select.Item>
        ))}
      </Select.Content>
    </Select>
  )
}
