import { parsePaysysModuleOptions } from "../options"

const card = {
  serviceId: 100381,
  secretKey: "s3cret",
  vendorId: "100381",
  vendorMethod: "shop",
  vendorSecretKey: "notify-secret",
}
const form = { vendorId: "101234", secretKey: "form-secret" }

describe("the plugin's options (its module's)", () => {
  it("takes the hosted form alone: no card gateway, the shared options' defaults", () => {
    const parsed = parsePaysysModuleOptions({ form })
    expect(parsed.card).toBeNull()
    expect(parsed.form).toMatchObject({ vendorId: "101234", environment: "sandbox" })
    expect(parsed.options).toMatchObject({ reconcileAfterSeconds: 120, notificationMaxAttempts: 8 })
  })

  it("takes the card gateway alone, or both", () => {
    expect(parsePaysysModuleOptions(card)).toMatchObject({
      card: { serviceId: "100381", gatewayUrl: "https://paysys.uz/gateway" },
      form: null,
    })
    expect(parsePaysysModuleOptions({ ...card, form })).toMatchObject({
      card: { vendorId: "100381" },
      form: { vendorId: "101234" },
    })
  })

  it("names each card option missing when only some are given", () => {
    const { vendorMethod, vendorSecretKey, ...partial } = card
    expect(() => parsePaysysModuleOptions({ ...partial, form })).toThrow(
      /the card gateway is configured \(`serviceId`, `secretKey`, `vendorId`\) but `vendorMethod`, `vendorSecretKey` are missing/
    )
    expect(() => parsePaysysModuleOptions({ ...card, vendorSecretKey: undefined })).toThrow(
      /but `vendorSecretKey` is missing/
    )
  })

  it("checks card options that are given, and the form's, with zod", () => {
    expect(() => parsePaysysModuleOptions({ ...card, secretKey: "" })).toThrow(/`secretKey` is required/)
    expect(() => parsePaysysModuleOptions({ form: { ...form, vendorId: "abc" } })).toThrow(
      /paysys-form.*`vendorId` must be digits/
    )
  })

  it("wants one way to connect at least", () => {
    expect(() => parsePaysysModuleOptions({})).toThrow(
      /configure the card gateway \(`serviceId`, .*\), the hosted form \(`form`\), or both/
    )
    expect(() => parsePaysysModuleOptions(undefined)).toThrow(/the hosted form/)
  })
})
