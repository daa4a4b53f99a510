import { isNotificationAuthValid, notificationAuthHeader } from "../notifications"

describe("the Basic credentials of PaySys notifications", () => {
  const header = notificationAuthHeader("vendor-a", "secret-a")

  it("accepts the header made from the configured credentials, surrounding spaces aside", () => {
    expect(isNotificationAuthValid(header, "vendor-a", "secret-a")).toBe(true)
    expect(isNotificationAuthValid(` ${header} `, "vendor-a", "secret-a")).toBe(true)
  })

  it("refuses a missing header, another secret or another method", () => {
    expect(isNotificationAuthValid(undefined, "vendor-a", "secret-a")).toBe(false)
    expect(isNotificationAuthValid(["x"], "vendor-a", "secret-a")).toBe(false)
    expect(isNotificationAuthValid(notificationAuthHeader("vendor-a", "secret-b"), "vendor-a", "secret-a")).toBe(false)
    expect(isNotificationAuthValid(notificationAuthHeader("vendor-b", "secret-a"), "vendor-a", "secret-a")).toBe(false)
  })

  it("checks against the credentials of each call: a rotated secret refuses the old header", () => {
    expect(isNotificationAuthValid(header, "vendor-a", "secret-a")).toBe(true)
    expect(isNotificationAuthValid(header, "vendor-a", "secret-rotated")).toBe(false)
    expect(
      isNotificationAuthValid(notificationAuthHeader("vendor-a", "secret-rotated"), "vendor-a", "secret-rotated")
    ).toBe(true)
    expect(isNotificationAuthValid(header, "vendor-a", "secret-a")).toBe(true)
  })
})
