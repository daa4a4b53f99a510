import { MedusaRequest } from "@medusajs/framework/http"

/** The shopper's IP for PaySys's client_ip_addr (Express's req.ip honours "trust proxy"). */
export function clientIp(req: MedusaRequest): string {
  const ip = req.ip ?? req.socket.remoteAddress ?? "127.0.0.1"
  return ip.startsWith("::ffff:") ? ip.slice("::ffff:".length) : ip
}
