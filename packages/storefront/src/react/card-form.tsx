import { FormEvent, InputHTMLAttributes, ReactNode, useState } from "react"
import {
  cardBrand,
  cardCvcProblem,
  cardExpiryProblem,
  cardHolderNameProblem,
  CardField,
  CardInputFields,
  cardNumberProblem,
  CardProblem,
  normalizeCardNumber,
} from "../../../../src/paysys/card-rules"
import { messageOf } from "../checkout"
import { PaysysCheckoutError, PaysysCheckoutErrorKind } from "../errors"
import { PaysysLanguage, paysysMessages } from "../messages"
import { BrandIcon } from "./brand-icon"

export type CardFormProps = {
  /** gets the card once it passes the card rules; a PaysysCheckoutError it throws shows by its fields */
  onSubmit: (card: CardInputFields) => Promise<void>
  lang?: PaysysLanguage
  /** the button's text; default "Pay" in the form's language */
  submitLabel?: string
  /** prefilled fields: the shipping address's name as the holder's, say */
  defaultValues?: Partial<CardInputFields>
  /** the store offers PaySys's payment form: UzCard and HUMO numbers are pointed to it */
  paysysFormOffered?: boolean
  /** an error to show above the form (a declined payment, say) */
  error?: ReactNode
  /** prefix of the inputs' ids: `${idPrefix}-number` and so on */
  idPrefix?: string
  children?: ReactNode
}

const RULES: Record<CardField, (value: string) => CardProblem | null> = {
  card_holder_name: cardHolderNameProblem,
  card_number: cardNumberProblem,
  card_expiry: (value) => cardExpiryProblem(value),
  card_cvc: cardCvcProblem,
}

const EMPTY: CardInputFields = { card_holder_name: "", card_number: "", card_expiry: "", card_cvc: "" }

/** "4111111111111111" -> "4111 1111 1111 1111" while typing */
const formatNumber = (value: string) =>
  value
    .replace(/\D/g, "")
    .slice(0, 19)
    .replace(/(\d{4})(?=\d)/g, "$1 ")
/** "1230" -> "12/30" while typing */
const formatExpiry = (value: string) => {
  const digits = value.replace(/\D/g, "").slice(0, 4)
  return digits.length > 2 ? `${digits.slice(0, 2)}/${digits.slice(2)}` : digits
}

/**
 * The card form: the server's card rules checked as the shopper leaves each field and before
 * sending; errors inline by their field; browser autofill and the numeric keyboard on phones.
 */
export function CardForm(props: CardFormProps) {
  const text = paysysMessages(props.lang)
  const prefix = props.idPrefix ?? "card"
  const [card, setCard] = useState<CardInputFields>({ ...EMPTY, ...props.defaultValues })
  const [problems, setProblems] = useState<Partial<Record<CardField, CardProblem>>>({})
  const [formError, setFormError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const check = (field: CardField, value: string) =>
    setProblems((shown) => ({ ...shown, [field]: RULES[field](value) ?? undefined }))
  const change = (field: CardField, value: string) => {
    setCard((current) => ({ ...current, [field]: value }))
    if (problems[field]) {
      check(field, value)
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault()
    const found = (Object.keys(RULES) as CardField[])
      .map((field) => RULES[field](card[field]))
      .filter((p): p is CardProblem => !!p)
    setProblems(Object.fromEntries(found.map((p) => [p.field, p])))
    setFormError(null)
    if (found.length) {
      return
    }
    setBusy(true)
    try {
      await props.onSubmit(card)
    } catch (error) {
      if (error instanceof PaysysCheckoutError && error.problems.length) {
        setProblems(Object.fromEntries(error.problems.map((p) => [p.field, p])))
      } else {
        setFormError(refusalText(error) ?? messageOf(error))
      }
    } finally {
      setBusy(false)
    }
  }

  /** the route's refusals in the form's language */
  const refusalText = (error: unknown) => {
    const kind = error instanceof PaysysCheckoutError ? error.kind : null
    const texts: Partial<Record<PaysysCheckoutErrorKind, string>> = {
      unavailable: text.unavailable,
      card_declined: text.cardDeclined,
      too_many_attempts: text.tooManyAttempts,
      captcha_required: text.captchaRequired,
    }
    return kind ? texts[kind] : undefined
  }

  const problemText = (problem: CardProblem) =>
    problem.code === "number_uzcard_humo" && props.paysysFormOffered
      ? text.uzcardHumoUseForm
      : text.problems[problem.code]

  const field = (
    name: CardField,
    suffix: string,
    label: string,
    input: InputHTMLAttributes<HTMLInputElement>,
    format = (v: string) => v
  ) => {
    const id = `${prefix}-${suffix}`
    const problem = problems[name]
    return (
      <div className="paysys-field">
        <label htmlFor={id}>{label}</label>
        <input
          id={id}
          name={name}
          value={card[name]}
          onChange={(event) => change(name, format(event.target.value))}
          onBlur={(event) => event.target.value && check(name, event.target.value)}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${id}-error` : undefined}
          required
          {...input}
        />
        {problem && (
          <p className="paysys-field-error" id={`${id}-error`} role="alert">
            {problemText(problem)}
          </p>
        )}
      </div>
    )
  }

  const brand = cardBrand(normalizeCardNumber(card.card_number))
  return (
    <form className="paysys-card-form" id={`${prefix}-form`} onSubmit={submit} noValidate>
      {props.error}
      {field("card_holder_name", "holder", text.holderName, {
        autoComplete: "cc-name",
        autoCapitalize: "characters",
        spellCheck: false,
      })}
      <div className="paysys-card-number">
        {field(
          "card_number",
          "number",
          text.cardNumber,
          { autoComplete: "cc-number", inputMode: "numeric", placeholder: "1234 5678 9012 3456" },
          formatNumber
        )}
        <BrandIcon brand={brand} />
      </div>
      <div className="paysys-pair">
        {field(
          "card_expiry",
          "expiry",
          text.expiry,
          { autoComplete: "cc-exp", inputMode: "numeric", placeholder: "MM/YY", maxLength: 5 },
          formatExpiry
        )}
        {field("card_cvc", "cvc", text.cvc, {
          autoComplete: "cc-csc",
          inputMode: "numeric",
          placeholder: "123",
          maxLength: 3,
        })}
      </div>
      {formError && (
        <p className="paysys-form-error" id={`${prefix}-form-error`} role="alert">
          {formError}
        </p>
      )}
      <button type="submit" id={`${prefix}-pay`} disabled={busy} aria-busy={busy}>
        {busy ? text.paying : (props.submitLabel ?? text.pay)}
      </button>
      {props.children}
    </form>
  )
}
