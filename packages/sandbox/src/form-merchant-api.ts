import { MERCHANT_API_PATHS } from "../../../src/paysys-form/assumptions"
import { signedRequest } from "../../../src/paysys-form/callbacks"
import { checkFiscalSum, FiscalSumCheck, fiscalizationAnswer } from "../../../src/paysys-form/fiscal"
import { NOTIFY_STATUS, payAnswer, statementAnswer } from "../../../src/paysys-form/schemas"
import { statementLineProblems } from "../../../src/paysys-form/statement"
import { FaultRegistry } from "./faults"
import { FormPayment, FormPayments } from "./form-state"
import { sleep } from "./http-utils"
import { DeliveryRecord, FormCallbackKind, Notifier } from "./notifier"
import { SandboxLogger } from "./options"

/*
 * The calls the sandbox, as PaySys, makes to the merchant API, signed with
 * the form's secret, ids as JSON numbers as in PaySys's examples. Pay, Cancel, Info, Statement
 * and Fiscalization are sent at once and their answers read; Notify goes through the notifier's
 * queue, so drop, duplicate, delay and hold apply to it.
 */

export type FormMerchantApiDeps = {
  payments: FormPayments
  notifier: Notifier
  faults: FaultRegistry
  credentials: { vendorId: string; secretKey: string }
  logger?: SandboxLogger
}

export type MerchantCall = { delivery: DeliveryRecord; answer: Record<string, unknown> | null }

/** `<base>/<path>` of a form callback, or null when no merchant API URL is set. */
export function merchantApiUrl(base: string | null, kind: FormCallbackKind): string | null {
  if (!base) {
    return null
  }
  const callback = kind.replace(/^form_/, "") as keyof typeof MERCHANT_API_PATHS
  return `${base.replace(/\/+$/, "")}/${MERCHANT_API_PATHS[callback]}`
}

export class FormMerchantApi {
  constructor(private readonly deps: FormMerchantApiDeps) {}

  private get secret() {
    return this.deps.credentials.secretKey
  }

  /**
   * SIGN_TIME: real time, not the sandbox's business clock, as the Auth header's timestamp: the
   * merchant checks it against its own clock, which does not move with the sandbox's.
   */
  private now() {
    return Date.now()
  }

  /**
   * The SMS code was right: Pay, then the debit. Ends the payment paid (Notify 2 queued) or
   * failed; a `timeout` fault on "form.pay" sends Pay and ignores the answer, as PaySys giving up.
   */
  async pay(payment: FormPayment): Promise<void> {
    const { payments } = this.deps
    payments.startPaying(payment)
    const fault = this.deps.faults.take("form.pay", payment.merchantTransId)
    if (fault?.kind === "latency") {
      await sleep(fault.latencyMs)
    }
    const body = {
      ...signedRequest("pay", this.secret, {
        VENDOR_ID: Number(payment.vendorId),
        PAYMENT_ID: payment.paymentId as number,
        PAYMENT_NAME: payment.paymentName as string,
        AGR_TRANS_ID: Number(payment.agrTransId),
        MERCHANT_TRANS_ID: payment.merchantTransId,
        MERCHANT_TRANS_AMOUNT: Number(payment.amount),
        ENVIRONMENT: payment.environment,
        SIGN_TIME: this.now(),
      }),
      ...(payment.data ? { MERCHANT_TRANS_DATA: payment.data } : {}),
    }
    const { delivery, answer } = await this.call("form_pay", body, payment)
    if (fault?.kind === "timeout") {
      return payments.fail(payment, "The merchant did not answer in time (sandbox fault: Pay timeout)")
    }
    const parsed = payAnswer.safeParse(answer)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      const what =
        delivery.http_status === null
          ? (delivery.error ?? "no answer")
          : `${issue?.path.join(".") || "answer"} ${issue?.message ?? ""}`
      return payments.fail(payment, `The merchant's answer to Pay is not usable: ${what}`)
    }
    if (parsed.data.ERROR !== 0) {
      return payments.fail(
        payment,
        `The merchant refused the payment: ERROR ${parsed.data.ERROR} ${parsed.data.ERROR_NOTE}`
      )
    }
    const vendorTransId = parsed.data.VENDOR_TRANS_ID as number
    if (payment.card?.behaviour === "insufficient_funds") {
      // Pay was accepted but the debit fails: PaySys documents no signal for this (PAY_ACCEPTED_WITHOUT_NOTIFY_IS_FAILURE)
      return payments.fail(payment, "Insufficient funds on the card", vendorTransId)
    }
    payments.paid(payment, vendorTransId)
    this.queueNotify(payment, NOTIFY_STATUS.PAID)
  }

  /** Queues Notify (behaviours apply); `status` may lie (a forged Notify) when called from the control API. */
  queueNotify(payment: FormPayment, status: number): DeliveryRecord[] {
    return this.deps.notifier.enqueue("form_notify", this.notifyBody(payment, status), this.ref(payment))
  }

  /** Sends Notify at once, whatever the behaviour, and waits for the answer. */
  async sendNotify(payment: FormPayment, status: number): Promise<MerchantCall> {
    return this.call("form_notify", this.notifyBody(payment, status), payment)
  }

  /**
   * Cancel. A paid payment is cancelling while the merchant is asked (the status API no longer
   * says paid); allowed (0), it is reversed and Notify 3 queued, refused, it stays paid.
   */
  async cancel(payment: FormPayment): Promise<MerchantCall> {
    const body = signedRequest("cancel", this.secret, {
      AGR_TRANS_ID: Number(payment.agrTransId),
      VENDOR_TRANS_ID: payment.vendorTransId as number,
      SIGN_TIME: this.now(),
    })
    const wasPaid = payment.status === "paid"
    if (wasPaid) {
      this.deps.payments.startCancelling(payment)
    }
    const result = await this.call("form_cancel", body, payment)
    if (wasPaid && result.answer?.ERROR === 0) {
      this.deps.payments.cancel(payment)
      this.queueNotify(payment, NOTIFY_STATUS.CANCELLED)
    } else if (wasPaid) {
      this.deps.payments.keepPaid(payment, `the merchant refused the Cancel: ${JSON.stringify(result.answer)}`)
    }
    return result
  }

  info(merchantTransId: string): Promise<MerchantCall> {
    return this.call(
      "form_info",
      signedRequest("info", this.secret, { MERCHANT_TRANS_ID: merchantTransId, SIGN_TIME: this.now() }),
      null
    )
  }

  /** Statement over [from, to], its answer checked against what the sandbox knows, line by line. */
  async statement(from: number, to: number) {
    const result = await this.call(
      "form_statement",
      signedRequest("statement", this.secret, { FROM: from, TO: to, SIGN_TIME: this.now() }),
      null
    )
    const parsed = statementAnswer.safeParse(result.answer)
    const problems: string[] = []
    if (!parsed.success) {
      problems.push(...parsed.error.issues.map((i) => `${i.path.join(".") || "answer"}: ${i.message}`))
    } else {
      const lines = parsed.data.TRANSACTIONS ?? []
      const expected = this.deps.payments.list().filter((p) => p.paidAt !== null && p.paidAt >= from && p.paidAt <= to)
      for (const payment of expected) {
        const line = lines.find((l) => String(l.AGR_TRANS_ID) === payment.agrTransId)
        if (!line) {
          problems.push(`AGR_TRANS_ID ${payment.agrTransId} (${payment.status}) is missing`)
          continue
        }
        const wrong = statementLineProblems(line, {
          STATE: payment.status === "cancelled" ? NOTIFY_STATUS.CANCELLED : NOTIFY_STATUS.PAID,
          VENDOR_TRANS_ID: payment.vendorTransId as number,
          MERCHANT_TRANS_ID: payment.merchantTransId,
          MERCHANT_TRANS_AMOUNT: payment.amount,
          ENVIRONMENT: payment.environment,
        })
        problems.push(...wrong.map((w) => `AGR_TRANS_ID ${payment.agrTransId}: ${w}`))
      }
      const known = new Set(this.deps.payments.list().map((p) => p.agrTransId))
      for (const line of lines) {
        if (!known.has(String(line.AGR_TRANS_ID))) {
          problems.push(`AGR_TRANS_ID ${line.AGR_TRANS_ID} is not a sandbox payment`)
        }
      }
    }
    return { ...result, problems }
  }

  /** Fiscalization; the receipt is checked against its schema and the sum rule for the payment's amount. */
  async fiscalization(payment: FormPayment, type: string) {
    const body = signedRequest("fiscalization", this.secret, {
      AGR_TRANS_ID: Number(payment.agrTransId),
      TYPE: type,
      SIGN_TIME: this.now(),
    })
    const result = await this.call("form_fiscalization", body, payment)
    const parsed = fiscalizationAnswer.safeParse(result.answer)
    const problems = parsed.success
      ? []
      : parsed.error.issues.map((i) => `${i.path.join(".") || "answer"}: ${i.message}`)
    let sumRule: FiscalSumCheck | null = null
    if (parsed.success && parsed.data.PARAMETERS) {
      sumRule = checkFiscalSum(parsed.data.PARAMETERS.items, payment.amount)
      if (!sumRule.ok) {
        problems.push(sumRule.reason)
      }
    }
    return { ...result, sum_rule: sumRule, problems }
  }

  private notifyBody(payment: FormPayment, status: number) {
    return signedRequest("notify", this.secret, {
      AGR_TRANS_ID: Number(payment.agrTransId),
      VENDOR_TRANS_ID: payment.vendorTransId as number,
      STATUS: status,
      SIGN_TIME: this.now(),
    })
  }

  private ref(payment: FormPayment | null) {
    return payment ? { partnerTransId: payment.merchantTransId, agrTransId: payment.agrTransId ?? undefined } : {}
  }

  private async call(kind: FormCallbackKind, body: unknown, payment: FormPayment | null): Promise<MerchantCall> {
    const delivery = await this.deps.notifier.sendNow(kind, body, this.ref(payment))
    let answer: Record<string, unknown> | null = null
    try {
      const parsed: unknown = JSON.parse(delivery.response_body ?? "")
      answer =
        typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
          ? (parsed as Record<string, unknown>)
          : null
    } catch {
      answer = null
    }
    return { delivery, answer }
  }
}
