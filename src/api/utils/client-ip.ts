import proxyaddr from "proxy-addr"
import { MedusaRequest } from "@medusajs/framework/http"
import { PAYSYS_MODULE, PaysysModuleService } from "../../modules/paysys"

/** proxy-addr's trust function of each options' list, compiled once. */
const compiled = new WeakMap<readonly string[], ReturnType<typeof proxyaddr.compile>>()

/**
 * The client's address: PaySys's client_ip_addr, the rate limits' key and what the form's
 * callbackIpAllowList checks. The socket's address, unless it is one of the plugin option
 * `trustedProxies`: then X-Forwarded-For is read back to the first address that is not one
 * (proxy-addr). Express's req.ip is not used: it follows the app's "trust proxy", not the
 * merchant's word about this plugin, and believed X-Forwarded-For on direct connections.
 */
export function clientIp(req: MedusaRequest): string {
  const trusted = req.scope.resolve<PaysysModuleService>(PAYSYS_MODULE).options.trustedProxies
  let trust = compiled.get(trusted)
  if (!trust) {
    trust = proxyaddr.compile([...trusted])
    compiled.set(trusted, trust)
  }
  const ip = proxyaddr(req, trust)
  return ip.startsWith("::ffff:") ? ip.slice("::ffff:".length) : ip
}
