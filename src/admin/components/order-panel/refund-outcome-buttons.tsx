import { Button } from "@medusajs/ui"
import { useTranslation } from "react-i18next"

/** The merchant's word on a refund whose outcome PaySys cannot tell: made, or not made. */
export function RefundOutcomeButtons({
  pending,
  pendingMade,
  onSettle,
}: {
  /** an outcome is being sent (any refund's): both buttons wait */
  pending: boolean
  /** the outcome being sent, whose button spins */
  pendingMade: boolean | undefined
  onSettle: (made: boolean) => void
}) {
  const { t } = useTranslation()
  return (
    <div className="flex items-center gap-x-2">
      {([true, false] as const).map((made) => (
        <Button
          key={String(made)}
          size="small"
          variant="secondary"
          isLoading={pending && pendingMade === made}
          disabled={pending}
          onClick={() => onSettle(made)}
          data-testid={made ? "paysys-refund-made" : "paysys-refund-not-made"}
        >
          {t(made ? "paysys.attention.refundMade" : "paysys.attention.refundNotMade")}
        </Button>
      ))}
    </div>
  )
}
