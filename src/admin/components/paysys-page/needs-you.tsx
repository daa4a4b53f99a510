import { Badge, Container, Heading, Text } from "@medusajs/ui"
import { keepPreviousData, useQuery } from "@tanstack/react-query"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { intlLocale } from "../../lib/paysys-panel"
import { NEEDS_YOU_KEY, PAGE_SIZE, type PaysysNeedsYouList } from "../../lib/paysys-page"
import { sdk } from "../../lib/sdk"
import { NeedsYouTable } from "./needs-you-table"
import { PagePagination } from "./page-pagination"

/** What waits for the merchant, with or without an order, page by page. */
export function NeedsYou() {
  const { t, i18n } = useTranslation()
  const locale = intlLocale(i18n.resolvedLanguage ?? i18n.language)
  const [offset, setOffset] = useState(0)
  const list = useQuery({
    queryKey: [...NEEDS_YOU_KEY, offset],
    queryFn: () =>
      sdk.client.fetch<PaysysNeedsYouList>("/admin/paysys/needs-you", { query: { limit: PAGE_SIZE, offset } }),
    placeholderData: keepPreviousData,
  })
  const items = list.data?.items ?? []
  const count = list.data?.count ?? 0
  return (
    <Container className="divide-y p-0" data-testid="paysys-needs-you">
      <div className="flex items-center justify-between px-6 py-4">
        <div>
          <Heading level="h1">{t("paysys.page.needsYou.title")}</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            {t("paysys.page.needsYou.description")}
          </Text>
        </div>
        <Badge color={count ? "red" : "green"} data-testid="paysys-needs-you-count">
          {count}
        </Badge>
      </div>
      {list.isError && (
        <Text size="small" className="px-6 py-4 text-ui-fg-error">
          {t("paysys.loadFailed", { message: list.error.message })}
        </Text>
      )}
      {!list.isPending && !items.length && !list.isError && (
        <Text size="small" className="px-6 py-4 text-ui-fg-subtle" data-testid="paysys-needs-you-empty">
          {t("paysys.page.needsYou.empty")}
        </Text>
      )}
      {items.length > 0 && <NeedsYouTable items={items} locale={locale} />}
      <PagePagination count={count} offset={offset} onOffsetChange={setOffset} />
    </Container>
  )
}
