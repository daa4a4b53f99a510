import { Container, Heading, Skeleton } from "@medusajs/ui"

/** The panel's shape while its first answer is on the way. */
export function LoadingPanel({ title }: { title: string }) {
  return (
    <Container className="divide-y p-0" data-testid="paysys-order-panel-loading" aria-busy>
      <div className="flex items-center justify-between px-6 py-4">
        <Heading level="h2">{title}</Heading>
        <Skeleton className="h-7 w-32" />
      </div>
      {[0, 1, 2, 3, 4].map((row) => (
        <div key={row} className="grid grid-cols-2 items-center gap-x-2 px-6 py-4">
          <Skeleton className="h-4 w-24" />
          <Skeleton className="h-4 w-full" />
        </div>
      ))}
    </Container>
  )
}
