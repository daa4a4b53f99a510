import { IncomingMessage, ServerResponse } from "node:http"
import { PaysysStatus } from "../../../src/paysys/statuses"
import { readBodyOr413, redirect, sendHtml, sendText } from "./http-utils"
import { SandboxLogger } from "./options"
import { SandboxState, SavedCard, ThreeDsSubmission, Transaction } from "./state"
import {
  formatMoney,
  renderAlreadyUsedPage,
  renderNotFoundPage,
  renderResultPage,
  renderThreeDsPage,
} from "./three-ds-page"

/*
 * GET  /3ds/payment/:token   the page (first view: status 0 -> 1)
 * POST /3ds/payment/:token   code=...&action=confirm|cancel -> 302 to redirect_url, or a result page
 * GET  /3ds/card/:token      the same for a card registration
 * POST /3ds/card/:token      -> result page (the registration has no redirect_url); partner.notify is sent
 * A page already submitted answers 410 with a page saying so, and changes nothing.
 */

export type ThreeDsDeps = {
  state: SandboxState
  threeDsCode: string
  merchantName: string
  maxBodyBytes: number
  logger?: SandboxLogger
}

export async function handleThreeDs(
  request: IncomingMessage,
  response: ServerResponse,
  kind: "payment" | "card",
  token: string,
  deps: ThreeDsDeps
): Promise<void> {
  const actionUrl = `/3ds/${kind}/${encodeURIComponent(token)}`
  if (request.method === "GET") {
    const lookup = kind === "payment" ? deps.state.viewPaymentThreeDs(token) : deps.state.viewCardThreeDs(token)
    if (!lookup.found) {
      return sendHtml(response, 404, renderNotFoundPage())
    }
    if (lookup.alreadyUsed) {
      return sendHtml(response, 410, renderAlreadyUsedPage())
    }
    const subject = lookup.subject
    const page =
      kind === "payment"
        ? renderThreeDsPage({
            kind,
            actionUrl,
            merchant: deps.merchantName,
            description: (subject as Transaction).description,
            amount: (subject as Transaction).amount,
            currency: (subject as Transaction).currency,
            maskedPan: subject.card.masked,
            brand: subject.card.brand,
            threeDsCode: deps.threeDsCode,
          })
        : renderThreeDsPage({
            kind,
            actionUrl,
            merchant: deps.merchantName,
            description: null,
            amount: null,
            currency: null,
            maskedPan: subject.card.masked,
            brand: subject.card.brand,
            threeDsCode: deps.threeDsCode,
          })
    return sendHtml(response, 200, page)
  }

  if (request.method !== "POST") {
    response.setHeader("Allow", "GET, POST")
    return sendText(response, 405, "GET the page or POST the form")
  }

  const raw = await readBodyOr413(request, response, deps.maxBodyBytes)
  if (raw === null) {
    return
  }
  const form = new URLSearchParams(raw)
  const submission: ThreeDsSubmission = {
    action: form.get("action") === "cancel" ? "cancel" : "confirm",
    code: form.get("code") ?? "",
  }

  if (kind === "payment") {
    const lookup = deps.state.submitPaymentThreeDs(token, submission)
    if (!lookup.found) {
      return sendHtml(response, 404, renderNotFoundPage())
    }
    if (lookup.alreadyUsed) {
      return sendHtml(response, 410, renderAlreadyUsedPage())
    }
    const transaction = lookup.subject
    deps.logger?.info(
      `3-D Secure payment partner_trans_id=${transaction.partnerTransId} -> status ${transaction.status}` +
        (transaction.errObj ? ` (${transaction.errObj.message})` : "")
    )
    if (transaction.redirectUrl) {
      return redirect(response, transaction.redirectUrl)
    }
    return sendHtml(response, 200, paymentResultPage(transaction))
  }

  const lookup = deps.state.submitCardThreeDs(token, submission)
  if (!lookup.found) {
    return sendHtml(response, 404, renderNotFoundPage())
  }
  if (lookup.alreadyUsed) {
    return sendHtml(response, 410, renderAlreadyUsedPage())
  }
  const card = lookup.subject
  deps.logger?.info(
    `3-D Secure card card_id=${card.cardId} -> ${card.status}${card.error ? ` (${card.error.message})` : ""}`
  )
  return sendHtml(response, 200, cardResultPage(card))
}

function paymentResultPage(transaction: Transaction): string {
  const details: Array<[string, string]> = [
    ["Amount", formatMoney(transaction.amount, transaction.currency)],
    ["Card", transaction.card.masked],
    ["Order", transaction.partnerTransId],
  ]
  if (transaction.status === PaysysStatus.COMPLETED) {
    return renderResultPage({
      outcome: "success",
      title: "Payment completed",
      message: "The payment was authenticated and approved. Return to the shop.",
      details,
    })
  }
  return renderResultPage({
    outcome: "failure",
    title: "Payment failed",
    message: transaction.errObj?.message ?? "The payment was not completed.",
    details,
  })
}

function cardResultPage(card: SavedCard): string {
  if (card.status === "active") {
    return renderResultPage({
      outcome: "success",
      title: "Card saved",
      message: "The card was verified and saved. Return to the shop.",
      details: [["Card", card.card.masked]],
    })
  }
  return renderResultPage({
    outcome: "failure",
    title: "Card not saved",
    message: card.error?.message ?? "The card was not verified.",
    details: [["Card", card.card.masked]],
  })
}
