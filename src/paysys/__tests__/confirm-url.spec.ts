import { cardRegistrationResult, isSafeConfirmUrl, preparePaymentResult } from ".."

describe("confirm_url (3-D Secure page) from PaySys", () => {
  const answer = (confirm_url: string) => ({ transaction_id: "1", confirm_url })

  it.each([
    "javascript:alert(document.cookie)",
    "JavaScript://example.com/%0aalert(1)",
    "data:text/html,<script>alert(1)</script>",
    "http://bank.example.com/3ds",
    "http://localhost.attacker.net/3ds",
    "ftp://bank.example.com/3ds",
    "not a url",
  ])("refuses %s", (url) => {
    expect(isSafeConfirmUrl(url)).toBe(false)
    expect(preparePaymentResult.safeParse(answer(url)).success).toBe(false)
    expect(cardRegistrationResult.safeParse({ card_id: "c", confirm_url: url }).success).toBe(false)
  })

  it.each([
    "https://ecomm.bank.uz:6443/ecomm2/ClientHandler?trans_id=x",
    "http://127.0.0.1:4010/3ds/abc",
    "http://localhost:4010/3ds/abc",
  ])("accepts %s", (url) => {
    expect(preparePaymentResult.parse(answer(url)).confirm_url).toBe(url)
  })
})
