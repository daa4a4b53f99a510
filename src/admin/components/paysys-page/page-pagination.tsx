import { Table } from "@medusajs/ui"
import { PAGE_SIZE } from "../../lib/paysys-page"

/** A list's pages, shown only when it has more than one. */
export function PagePagination({
  count,
  offset,
  onOffsetChange,
}: {
  count: number
  offset: number
  onOffsetChange: (offset: number) => void
}) {
  if (count <= PAGE_SIZE) {
    return null
  }
  return (
    <Table.Pagination
      count={count}
      pageSize={PAGE_SIZE}
      pageIndex={offset / PAGE_SIZE}
      pageCount={Math.ceil(count / PAGE_SIZE)}
      canPreviousPage={offset > 0}
      canNextPage={offset + PAGE_SIZE < count}
      previousPage={() => onOffsetChange(Math.max(0, offset - PAGE_SIZE))}
      nextPage={() => onOffsetChange(offset + PAGE_SIZE)}
    />
  )
}
