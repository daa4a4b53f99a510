import { useEffect, useState } from "react"
import { messageOf, PaysysSdk } from "../checkout"
import { PaysysLanguage, paysysMessages } from "../messages"
import { listSavedCards, removeSavedCard, SavedCard } from "../saved-cards"
import { BrandIcon } from "./brand-icon"

export type SavedCardPickerProps = {
  sdk: PaysysSdk
  lang?: PaysysLanguage
  /** pays with the chosen card (payWithSavedCard, say); what it throws shows under the list. Without it, a list to remove cards from */
  onPay?: (savedCardId: string) => Promise<void>
  /** the button's text; default "Pay with this card" in the picker's language */
  payLabel?: string
  /** a card saved meanwhile: changing it lists the cards again */
  refreshKey?: unknown
}

/** The signed-in customer's saved cards: pick one and pay (with `onPay`), or remove one. */
export function SavedCardPicker(props: SavedCardPickerProps) {
  const text = paysysMessages(props.lang)
  const { onPay } = props
  const [cards, setCards] = useState<SavedCard[] | null>(null)
  const [chosen, setChosen] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    listSavedCards(props.sdk).then(
      (listed) => {
        setCards(listed)
        setChosen((current) => current ?? listed[0]?.id ?? null)
      },
      (failure) => setError(messageOf(failure))
    )
  }, [props.sdk, props.refreshKey])

  async function run(work: () => Promise<void>) {
    setBusy(true)
    setError(null)
    try {
      await work()
    } catch (failure) {
      setError(messageOf(failure))
    } finally {
      setBusy(false)
    }
  }

  const remove = (id: string) =>
    run(async () => {
      await removeSavedCard(props.sdk, id)
      setCards((listed) => (listed ?? []).filter((card) => card.id !== id))
      setChosen((current) => (current === id ? null : current))
    })

  if (cards === null) {
    return error ? <p role="alert">{error}</p> : null
  }
  return (
    <fieldset className="paysys-saved-cards" id="saved-cards" disabled={busy}>
      <legend>{text.savedCards}</legend>
      {cards.length === 0 && <p>{text.noSavedCards}</p>}
      {cards.map((card) => (
        <div className="paysys-saved-card" key={card.id} data-saved-card={card.id}>
          <label>
            {onPay && (
              <input
                type="radio"
                name="paysys-saved-card"
                value={card.id}
                checked={chosen === card.id}
                onChange={() => setChosen(card.id)}
              />
            )}
            <BrandIcon brand={card.data.brand} /> <span className="paysys-masked">{card.data.masked_pan}</span>{" "}
            <span className="paysys-expiry">
              {text.expires} {card.data.expiry}
            </span>
          </label>
          <button type="button" className="paysys-remove" onClick={() => void remove(card.id)}>
            {text.removeCard}
          </button>
        </div>
      ))}
      {onPay && cards.length > 0 && (
        <button
          type="button"
          id="pay-saved-card"
          disabled={!chosen}
          onClick={() => chosen && void run(() => onPay(chosen))}
        >
          {props.payLabel ?? text.payWithSavedCard}
        </button>
      )}
      {error && (
        <p className="paysys-form-error" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  )
}
