import { isCallbackIpAllowed } from "../callback-ip"

describe("the callback IP allow-list", () => {
  it("allows anyone when empty", () => {
    expect(isCallbackIpAllowed([], "198.51.100.23")).toBe(true)
  })

  it("matches addresses and CIDR ranges, IPv4 and IPv6", () => {
    const list = ["203.0.113.7", "198.51.100.0/24", "2001:db8::/32"]
    expect(isCallbackIpAllowed(list, "203.0.113.7")).toBe(true)
    expect(isCallbackIpAllowed(list, "203.0.113.8")).toBe(false)
    expect(isCallbackIpAllowed(list, "198.51.100.254")).toBe(true)
    expect(isCallbackIpAllowed(list, "198.51.101.1")).toBe(false)
    expect(isCallbackIpAllowed(list, "2001:db8:1::5")).toBe(true)
    expect(isCallbackIpAllowed(list, "2001:db9::1")).toBe(false)
  })

  it("reads an IPv4 caller on an IPv6 socket as IPv4, and refuses what is no address", () => {
    expect(isCallbackIpAllowed(["127.0.0.1"], "::ffff:127.0.0.1")).toBe(true)
    expect(isCallbackIpAllowed(["127.0.0.1"], "::ffff:127.0.0.2")).toBe(false)
    expect(isCallbackIpAllowed(["127.0.0.1"], "unknown")).toBe(false)
  })
})
