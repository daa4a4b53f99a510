import getRawBody from "raw-body"
import { finished } from "node:stream/promises"
import { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { CALLBACK_HTTP_STATUS, MAX_CALLBACK_BODY_BYTES } from "../../../../paysys-form"
import { PAYSYS_MODULE, PaysysModuleService } from "../../../../modules/paysys"
import { answerFormCallback, answeredCallbackAt } from "../callbacks/answer-form-callback"
import { clientIp } from "../../../utils/client-ip"

/**
 * POST /hooks/paysys-form/{info,pay,notify,cancel,statement,fiscalization}: PaySys's hosted-form
 * calls (the URLs to enter in the PaySys cabinet). Body parsing is off for these routes: the
 * caller's address is checked before anything is read, then the body is read raw, bounded, so
 * that a body that is not JSON or too large gets the protocol's -8, not a 400, 413 or 500.
 */
export const POST = async (req: MedusaRequest, res: MedusaResponse) => {
  const callback = answeredCallbackAt(req.params.callback)
  const options = req.scope.resolve<PaysysModuleService>(PAYSYS_MODULE).formOptions
  if (!callback || !options) {
    res.status(404).json({
      type: "not_found",
      message: options
        ? `No PaySys form call at ${req.params.callback}`
        : "The PaySys form is not configured (plugin option form)",
    })
    return
  }
  const answer = await answerFormCallback(req.scope, options, callback, {
    ip: clientIp(req),
    contentType: req.headers["content-type"],
    readBody: () => readBody(req),
  })
  res.status(CALLBACK_HTTP_STATUS).json(answer)
}

/** The body as text; null when it is larger than MAX_CALLBACK_BODY_BYTES or ends early. */
async function readBody(req: MedusaRequest): Promise<string | null> {
  try {
    return await getRawBody(req, {
      limit: MAX_CALLBACK_BODY_BYTES,
      length: req.headers["content-length"],
      encoding: "utf8",
    })
  } catch {
    // read off the rest (as body-parser does), so that the answer reaches a caller still sending
    req.resume()
    await finished(req).catch(() => undefined)
    return null
  }
}
