import { Logger } from "@medusajs/framework/types"
import { PaysysClient } from "../../paysys"
import { PaysysOptions } from "./options"

/** One PaySys client per provider or module instance, from the parsed plugin options. */
export function createPaysysClient(options: PaysysOptions, logger: Logger): PaysysClient {
  return new PaysysClient({
    gatewayUrl: options.gatewayUrl,
    serviceId: options.serviceId,
    secretKey: options.secretKey,
    timeoutMs: options.timeoutMs,
    readRetries: options.readRetries,
    rateLimitMaxWaitMs: options.rateLimitMaxWaitMs,
    transactionNotFoundCodes: options.transactionNotFoundCodes,
    logger,
  })
}
