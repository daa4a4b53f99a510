import { MedusaContainer } from "@medusajs/framework/types"
import {
  CALLBACK_IP_REFUSAL,
  formErrorAnswer,
  FormErrorAnswer,
  isCallbackIpAllowed,
  MAX_CALLBACK_BODY_BYTES,
  MERCHANT_API_PATHS,
  MerchantCallback,
  parseMerchantCallback,
  signedFields,
} from "../../../../paysys-form"
import { PaysysFormOptions } from "../../../../modules/paysys/form-options"
import { formCallbackContext, logFormCallback } from "./context"
import { answerFiscalization } from "./fiscalization"
import { answerInfo } from "./info"
import { answerPay } from "./pay"
import { answerStatement } from "./statement"
import { answerStatusChange } from "./status-change"

/** The callbacks the plugin answers, by their path under /hooks/paysys-form. */
const ANSWERED = [
  "info",
  "pay",
  "notify",
  "cancel",
  "statement",
  "fiscalization",
] as const satisfies readonly MerchantCallback[]

export function answeredCallbackAt(path: string): (typeof ANSWERED)[number] | null {
  return ANSWERED.find((callback) => MERCHANT_API_PATHS[callback] === path) ?? null
}

/**
 * One call as it arrived: the caller's address, the body's Content-Type, and how to read the
 * body (its text, or null when it is too large): read only once the caller is allowed.
 */
export type FormCallbackRequest = {
  ip: string
  contentType: string | undefined
  readBody: () => Promise<string | null>
}

/**
 * One call of PaySys's form: the caller's address (-1 outside `callbackIpAllowList`), before
 * a byte of the body is read -> body (JSON, else form-encoded; too large -8) -> fields (-8) ->
 * signature in constant time (-1) -> SIGN_TIME's freshness (-1) -> the signature accepted for
 * this call only (-1) -> the callback's rules. Always an answer for HTTP 200 JSON; a failure of
 * ours is -7 (PaySys tries again), never an exception.
 */
export async function answerFormCallback(
  container: MedusaContainer,
  options: PaysysFormOptions,
  callback: (typeof ANSWERED)[number],
  { ip, contentType, readBody }: FormCallbackRequest
): Promise<FormErrorAnswer> {
  const context = formCallbackContext(container, options)
  if (!isCallbackIpAllowed(options.callbackIpAllowList, ip)) {
    logFormCallback(context, `${callback} refused: ${ip} is not on callbackIpAllowList`)
    return formErrorAnswer(CALLBACK_IP_REFUSAL)
  }
  const body = await readBody()
  if (body === null) {
    logFormCallback(context, `${callback} refused (-8): the body is larger than ${MAX_CALLBACK_BODY_BYTES} bytes`)
    return formErrorAnswer("BAD_REQUEST")
  }
  const parsed = parseMerchantCallback(callback, body, {
    secretKey: options.secretKey,
    contentType,
    signTimeMaxSkewMs: options.signTimeMaxSkewMs,
  })
  if (!parsed.ok) {
    logFormCallback(context, `${callback} refused (${parsed.answer.ERROR}): ${parsed.reason}`)
    return parsed.answer
  }
  try {
    const request = parsed.request as typeof parsed.request & { SIGN_STRING: string }
    const use = await context.paysys.formSignatures.use(
      callback,
      request.SIGN_STRING,
      signedFields(callback, request as never)
    )
    if (use === "reused") {
      logFormCallback(
        context,
        `${callback} refused (-1): its SIGN_STRING was accepted before for another call (a replay with its digits re-split)`
      )
      return formErrorAnswer("SIGN_CHECK_FAILED")
    }
    switch (callback) {
      case "info":
        return await answerInfo(context, parsed.request as never)
      case "pay":
        return await answerPay(context, parsed.request as never)
      case "notify":
      case "cancel":
        return await answerStatusChange(context, parsed.request as never)
      case "statement":
        return await answerStatement(context, parsed.request as never)
      case "fiscalization":
        return await answerFiscalization(context, parsed.request as never)
    }
  } catch (error) {
    logFormCallback(context, `${callback} failed: ${(error as Error).message}`)
    return formErrorAnswer("UPDATE_FAILED")
  }
}
