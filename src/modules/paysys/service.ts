import { Logger } from "@medusajs/framework/types"
import { PaysysClient, PaysysCurrency } from "../../paysys"
import { createPaysysClient } from "../../providers/paysys/client-factory"
import { PaysysOptions, PaysysOptionsInput, parsePaysysOptions } from "../../providers/paysys/options"

type InjectedDependencies = { logger: Logger }

/** A card as the store routes validated it. It is passed on to PaySys and dropped. */
export type CardDetails = {
  card_holder_name: string
  card_number: string
  card_expiry: { month: string; year: string }
  card_cvc: string
}

export type CardPaymentAttempt = {
  partnerTransId: string
  amount: string
  currency: PaysysCurrency
  clientIp: string
  redirectUrl: string
}

/**
 * The plugin's own module: PaySys for the plugin's routes, subscribers and jobs, which
 * cannot reach the payment provider inside the Payment Module. It takes the same
 * options as the provider (the plugin's options).
 */
export default class PaysysModuleService {
  readonly client: PaysysClient
  readonly options: PaysysOptions

  constructor({ logger }: InjectedDependencies, options: PaysysOptionsInput) {
    this.options = parsePaysysOptions(options)
    this.client = createPaysysClient(this.options, logger)
  }

  /** The one place a card goes: straight to PaySys, never stored or logged. */
  prepareCardPayment(card: CardDetails, attempt: CardPaymentAttempt) {
    return this.client.preparePayment({
      card_holder_name: card.card_holder_name,
      card_number: card.card_number,
      card_expire: `${card.card_expiry.year}${card.card_expiry.month}`,
      card_cvc: card.card_cvc,
      amount: attempt.amount,
      currency: attempt.currency,
      vendor_id: this.options.vendorId,
      partner_trans_id: attempt.partnerTransId,
      client_ip_addr: attempt.clientIp,
      description: this.options.paymentDescription,
      redirect_url: attempt.redirectUrl,
    })
  }
}
