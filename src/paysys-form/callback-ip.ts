import { BlockList, isIP, isIPv4 } from "node:net"

/**
 * The optional allow-list of the addresses PaySys calls from (DEFAULT_CALLBACK_IP_ALLOW_LIST): addresses or CIDR ranges,
 * IPv4 or IPv6. An empty list allows any caller; the signature is checked either way.
 */
export function isCallbackIpAllowed(allowList: readonly string[], ip: string): boolean {
  if (!allowList.length) {
    return true
  }
  const list = new BlockList()
  for (const entry of allowList) {
    const [address, prefix] = entry.split("/")
    const family = isIPv4(address) ? "ipv4" : "ipv6"
    if (prefix === undefined) {
      list.addAddress(address, family)
    } else {
      list.addSubnet(address, Number(prefix), family)
    }
  }
  // an IPv4 caller seen through an IPv6 socket (::ffff:a.b.c.d) matches its IPv4 entries
  const caller = ip.startsWith("::ffff:") && isIPv4(ip.slice(7)) ? ip.slice(7) : ip
  if (!isIP(caller)) {
    return false
  }
  return list.check(caller, isIPv4(caller) ? "ipv4" : "ipv6")
}
