import type { PaysysOrderPanel, PaysysStatusLabel } from "../../api/admin/paysys/paysys-order-panel-types"

export type {
  PaysysAttentionItem,
  PaysysHistoryEntry,
  PaysysOrderPanel,
  PaysysStatusLabel,
} from "../../api/admin/paysys/paysys-order-panel-types"

/** The answer of GET /admin/paysys/orders/:id (its types come from the server, erased in the bundle). */
export type PaysysPanelResponse = { paysys: PaysysOrderPanel | null }

/** StatusBadge colors: green paid, orange waiting, red failed, grey reversed or refunded. */
export const STATUS_COLOR: Record<PaysysStatusLabel, "green" | "orange" | "red" | "grey"> = {
  paid: "green",
  waiting: "orange",
  failed: "red",
  reversed: "grey",
  partially_refunded: "grey",
  refunded: "grey",
  unknown: "grey",
}

/**
 * The dashboard's language codes ("ru", "ptBR", "zhCN") as BCP 47 tags for Intl
 * ("pt-BR", "zh-CN"); undefined (the browser's own) when Intl does not know it.
 */
export function intlLocale(language: string | undefined): string | undefined {
  if (!language) {
    return undefined
  }
  const tag = language.replace(/^([a-z]{2,3})[-_]?([A-Z]{2})$/, "$1-$2")
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([tag]).length ? tag : undefined
  } catch {
    return undefined
  }
}

export function formatDate(value: string | null | undefined, locale: string | undefined): string | null {
  if (!value) {
    return null
  }
  const date = new Date(value)
  if (Number.isNaN(date.getTime())) {
    return value
  }
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "medium" }).format(date)
}

export function formatMoney(
  major: string | null | undefined,
  currency: string,
  locale: string | undefined
): string | null {
  if (major === null || major === undefined) {
    return null
  }
  const value = Number(major)
  if (!Number.isFinite(value)) {
    return `${major} ${currency.toUpperCase()}`
  }
  try {
    return new Intl.NumberFormat(locale, {
      style: "currency",
      currency: currency.toUpperCase(),
      currencyDisplay: "code",
    }).format(value)
  } catch {
    return `${major} ${currency.toUpperCase()}`
  }
}
