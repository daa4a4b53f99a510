import type { StoreOrder } from "../medusa-types"
import { ReactNode, useCallback, useEffect, useState } from "react"
import { completePaysysCart, declineReason, PaysysOutcome, PaysysSdk } from "../checkout"
import { PaysysLanguage, PaysysMessages, paysysMessages } from "../messages"

export type PaysysReturnProps = {
  /** with `sdk`: paysysReturnCartId(location.href) (paysysReturnUrl's reference), or the storefront's own cart */
  cartId?: string
  /** completes the cart in the browser with completePaysysCart ... */
  sdk?: PaysysSdk
  /** ... or elsewhere: a server action that calls completePaysysCart, say (Next.js) */
  complete?: () => Promise<PaysysOutcome>
  lang?: PaysysLanguage
  /** paid: the order (not called when `complete` redirects by itself) */
  onOrder?: (order: StoreOrder) => void
  /** not paid: PaySys's reason (the kit's own in `lang`). Without it, the reason shows here with `retry` */
  onDeclined?: (reason: string) => void
  /** shown under a decline: a link back to the payment step, say */
  retry?: ReactNode
  providerId?: string
  attempts?: number
  retryDelayMs?: number
}

/**
 * The page PaySys sends the shopper back to: completes the cart (the plugin asks PaySys how the
 * payment went), retries while PaySys has not decided, and hands over the order or the reason.
 */
export function PaysysReturn(props: PaysysReturnProps) {
  const text = paysysMessages(props.lang)
  const [outcome, setOutcome] = useState<PaysysOutcome | null>(null)
  const [failed, setFailed] = useState(false)
  const { sdk, complete, cartId, providerId, attempts, retryDelayMs, onOrder, onDeclined } = props

  const finish = useCallback(async () => {
    setOutcome(null)
    setFailed(false)
    try {
      const result = complete
        ? await complete()
        : await completePaysysCart(sdk!, cartId, { providerId, attempts, retryDelayMs })
      setOutcome(result)
      if (result.type === "order") {
        onOrder?.(result.order)
      } else if (result.type === "declined") {
        onDeclined?.(declineReason(result, text))
      }
    } catch {
      // Medusa unreachable, or a server action's error (Next.js hides its message in production
      // behind a paragraph about Server Components): nothing the shopper can read, so plain words
      setFailed(true)
    }
    // the props' callbacks may change on every render: finishing runs once per cart
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sdk, cartId, providerId, attempts, retryDelayMs])

  useEffect(() => {
    void finish()
  }, [finish])

  if (outcome?.type === "declined") {
    return <PaysysDeclined reason={declineReason(outcome, text)} text={text} retry={props.retry} />
  }
  if (failed) {
    return (
      <div className="paysys-return paysys-failed" id="payment-error" role="alert">
        <p className="paysys-reason">{text.checkFailed}</p>
        <button type="button" onClick={() => void finish()}>
          {text.checkAgain}
        </button>
        {props.retry && <div className="paysys-retry">{props.retry}</div>}
      </div>
    )
  }
  if (outcome?.type === "pending") {
    return (
      <div className="paysys-return paysys-pending" id="payment-pending" role="status">
        {text.pending}{" "}
        <button type="button" onClick={() => void finish()}>
          {text.checkAgain}
        </button>
      </div>
    )
  }
  return (
    <div className="paysys-return" id="payment-confirming" role="status" aria-live="polite">
      {text.confirming}
    </div>
  )
}

/**
 * A decline: the heading and the reason in one paragraph, so that a storefront's flex or grid
 * layout of the box keeps "The payment did not go through: <reason>" on one line.
 */
export function PaysysDeclined({ reason, text, retry }: { reason: string; text: PaysysMessages; retry?: ReactNode }) {
  return (
    <div className="paysys-return paysys-declined" id="payment-error" role="alert">
      <p className="paysys-reason">
        <strong>{text.declined}</strong>: {reason}
      </p>
      {retry && <div className="paysys-retry">{retry}</div>}
    </div>
  )
}
