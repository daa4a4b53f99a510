import { goToThreeDSecure, PaysysCheckoutError } from ".."

describe("goToThreeDSecure", () => {
  const target = () => {
    const assigned: string[] = []
    return { assigned, location: { assign: (url: string | URL) => void assigned.push(String(url)) } }
  }

  it.each([
    "javascript:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
    "http://bank.example.com/3ds",
    "vbscript:x",
  ])("refuses %s before sending the shopper anywhere", (url) => {
    const { assigned, location } = target()
    expect(() => goToThreeDSecure(url, location)).toThrow(PaysysCheckoutError)
    expect(assigned).toEqual([])
  })

  it("sends the shopper to an https page (and to the sandbox on localhost)", () => {
    const { assigned, location } = target()
    goToThreeDSecure("https://acs.bank.uz/3ds?id=1", location)
    goToThreeDSecure("http://127.0.0.1:4010/3ds/abc", location)
    expect(assigned).toEqual(["https://acs.bank.uz/3ds?id=1", "http://127.0.0.1:4010/3ds/abc"])
  })
})
