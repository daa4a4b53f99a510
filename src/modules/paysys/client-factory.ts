import { Logger } from "@medusajs/framework/types"
import { PaysysClient } from "../../paysys"
import { PaysysOptions } from "./card-options"
import { countingCalls } from "./background-call-count"

/**
 * One PaySys client per provider or module instance, from the parsed plugin options. Its calls
 * made for background work are counted (countCalls), to be spent from PaySys's request budget.
 */
export function createPaysysClient(options: PaysysOptions, logger: Logger): PaysysClient {
  return countingCalls(
    new PaysysClient({
      gatewayUrl: options.gatewayUrl,
      serviceId: options.serviceId,
      secretKey: options.secretKey,
      timeoutMs: options.timeoutMs,
      readRetries: options.readRetries,
      rateLimitMaxWaitMs: options.rateLimitMaxWaitMs,
      transactionNotFoundCodes: options.transactionNotFoundCodes,
      logger,
    })
  )
}
