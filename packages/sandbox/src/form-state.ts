import { randomBytes, randomInt } from "node:crypto"
import { ReceivedFormFields } from "../../../src/paysys-form/form-fields"
import { SandboxClock } from "./clock"
import { FORM_PAYMENT_SYSTEMS, FormCardSnapshot } from "./form-cards"

/*
 * The form's payments, by the id of their page (`formId`). Never a card number: the masked PAN.
 *
 *   opened        the merchant's fields were accepted, the card page shows
 *   card_entered  a valid card; the SMS page shows
 *   paying        the SMS code was right; Pay is on its way to the merchant
 *   paid          Pay answered 0, the debit succeeded; Notify 2 is queued
 *   failed        wrong SMS code, card declined, Pay refused or unanswered, or the debit failed
 *                 after Pay was accepted (then no Notify: PAY_ACCEPTED_WITHOUT_NOTIFY_IS_FAILURE)
 *   cancelling    a paid payment PaySys is cancelling: Cancel is on its way to the merchant, and
 *                 the status API no longer says paid (the merchant confirms a Cancel with it);
 *                 back to paid when the merchant refuses
 *   cancelled     Cancel (control API) answered 0; Notify 3 is queued
 */

export type FormPaymentStatus = "opened" | "card_entered" | "paying" | "paid" | "failed" | "cancelling" | "cancelled"

export type FormPayment = {
  formId: string
  vendorId: string
  merchantTransId: string
  /** MERCHANT_TRANS_AMOUNT as posted (whole sum) */
  amount: string
  currency: string
  note: string
  data: string | null
  returnUrl: string | null
  environment: "sandbox"
  status: FormPaymentStatus
  card: FormCardSnapshot | null
  agrTransId: string | null
  paymentId: number | null
  paymentName: string | null
  vendorTransId: number | null
  /** why it failed, for the result page and the control API */
  failure: string | null
  createdAt: number
  paidAt: number | null
  cancelledAt: number | null
  history: Array<{ at: number; event: string; status: FormPaymentStatus; detail?: string }>
}

export class FormPayments {
  private readonly payments = new Map<string, FormPayment>()

  constructor(readonly clock: SandboxClock) {}

  open(fields: ReceivedFormFields): FormPayment {
    const now = this.clock.now()
    const payment: FormPayment = {
      formId: randomBytes(12).toString("hex"),
      vendorId: fields.VENDOR_ID,
      merchantTransId: fields.MERCHANT_TRANS_ID,
      amount: fields.MERCHANT_TRANS_AMOUNT,
      currency: fields.MERCHANT_CURRENCY,
      note: fields.MERCHANT_TRANS_NOTE,
      data: fields.MERCHANT_TRANS_DATA ?? null,
      returnUrl: fields.MERCHANT_TRANS_RETURN_URL ?? null,
      environment: "sandbox",
      status: "opened",
      card: null,
      agrTransId: null,
      paymentId: null,
      paymentName: null,
      vendorTransId: null,
      failure: null,
      createdAt: now,
      paidAt: null,
      cancelledAt: null,
      history: [],
    }
    this.payments.set(payment.formId, payment)
    this.record(payment, "opened")
    return payment
  }

  find(formId: string): FormPayment | undefined {
    return this.payments.get(formId)
  }

  findByAgrTransId(agrTransId: string): FormPayment | undefined {
    return [...this.payments.values()].find((p) => p.agrTransId === agrTransId)
  }

  list(filter: { merchantTransId?: string } = {}): FormPayment[] {
    return [...this.payments.values()].filter(
      (p) => filter.merchantTransId === undefined || p.merchantTransId === filter.merchantTransId
    )
  }

  enterCard(payment: FormPayment, card: FormCardSnapshot): void {
    payment.card = card
    this.move(payment, "card_entered", "card", `${FORM_PAYMENT_SYSTEMS[card.system].title} ${card.masked}`)
  }

  /** The SMS code was right: the payment gets its AGR_TRANS_ID and Pay may leave. */
  startPaying(payment: FormPayment): void {
    const system = payment.card?.system ?? "uzcard"
    payment.agrTransId = String(randomInt(1_000_000_000, 281_474_976_710_655))
    payment.paymentId = FORM_PAYMENT_SYSTEMS[system].paymentId
    payment.paymentName = system
    this.move(payment, "paying", "sms_confirmed")
  }

  paid(payment: FormPayment, vendorTransId: number): void {
    payment.vendorTransId = vendorTransId
    payment.paidAt = this.clock.now()
    this.move(payment, "paid", "debited")
  }

  fail(payment: FormPayment, reason: string, vendorTransId: number | null = null): void {
    payment.vendorTransId = vendorTransId ?? payment.vendorTransId
    payment.failure = reason
    this.move(payment, "failed", "failed", reason)
  }

  startCancelling(payment: FormPayment): void {
    this.move(payment, "cancelling", "cancelling")
  }

  /** The merchant refused the Cancel: the payment stays paid. */
  keepPaid(payment: FormPayment, reason: string): void {
    this.move(payment, "paid", "cancel_refused", reason)
  }

  cancel(payment: FormPayment): void {
    payment.cancelledAt = this.clock.now()
    this.move(payment, "cancelled", "cancelled")
  }

  reset(): void {
    this.payments.clear()
  }

  private move(payment: FormPayment, status: FormPaymentStatus, event: string, detail?: string): void {
    payment.status = status
    this.record(payment, event, detail)
  }

  private record(payment: FormPayment, event: string, detail?: string): void {
    payment.history.push({ at: this.clock.now(), event, status: payment.status, ...(detail ? { detail } : {}) })
  }
}
