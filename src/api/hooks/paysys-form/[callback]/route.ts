import { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { CALLBACK_HTTP_STATUS } from "../../../../paysys-form"
import { PAYSYS_MODULE, PaysysModuleService } from "../../../../modules/paysys"
import { answerFormCallback, answeredCallbackAt } from "../../../../providers/paysys-form/callbacks/answer-form-callback"
import { clientIp } from "../../../utils/client-ip"

const MAX_BODY_BYTES = 100_000

/**
 * POST /hooks/paysys-form/{info,pay,notify,cancel,statement}: PaySys's hosted-form calls (the
 * URLs to enter in the PaySys cabinet). The body is read raw (body parsing is off for these
 * routes), so a body that is not JSON gets the protocol's -8, not a 400. The caller's address is
 * Express's req.ip: Medusa trusts one proxy, so it is X-Forwarded-For's last address when a
 * request has one (the allow-list holds behind one reverse proxy that sets it).
 */
export const POST = async (req: MedusaRequest, res: MedusaResponse) => {
  const callback = answeredCallbackAt(req.params.callback)
  const options = req.scope.resolve<PaysysModuleService>(PAYSYS_MODULE).formOptions
  if (!callback || !options) {
    res.status(404).json({ type: "not_found", message: options ? `No PaySys form call at ${req.params.callback}` : "The PaySys form is not configured (plugin option form)" })
    return
  }
  const body = await readBody(req)
  const answer = await answerFormCallback(req.scope, options, callback, { body, contentType: req.headers["content-type"], ip: clientIp(req) })
  res.status(CALLBACK_HTTP_STATUS).json(answer)
}

async function readBody(req: MedusaRequest): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_BODY_BYTES) {
      return "" // read as malformed: -8
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString("utf8")
}
