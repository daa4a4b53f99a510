import type { Knex } from "knex"
import { Logger } from "@medusajs/framework/types"
import { parsePaysysOptions } from "../card-options"
import { parsePaysysFormOptions } from "../form-options"
import { parsePaysysModuleOptions } from "../options"
import { paysysRuntime } from "../paysys-runtime"

const card = {
  serviceId: "100381",
  secretKey: "s3cret",
  vendorId: "100381",
  vendorMethod: "shop",
  vendorSecretKey: "notify-secret",
}
const form = { vendorId: "101234", secretKey: "form-secret" }
// nothing is queried while building: the ledger only keeps the connection
const db = {} as Knex
const logger = { warn: () => undefined, info: () => undefined, error: () => undefined } as unknown as Logger

/** The schedules of the module and both providers, each built from the options it is given. */
function schedules(plugin: Record<string, unknown>, formOptions: Record<string, unknown>) {
  const parsed = parsePaysysModuleOptions({ ...card, ...plugin, form: formOptions })
  const cardOptions = parsePaysysOptions({ ...card, ...plugin })
  const formParsed = parsePaysysFormOptions(formOptions)
  return {
    module: paysysRuntime({ schedule: parsed.options, card: parsed.card, form: parsed.form, logger, db }).schedule,
    card: paysysRuntime({ schedule: cardOptions, card: cardOptions, form: null, logger, db }).schedule,
    form: paysysRuntime({ schedule: formParsed, card: null, form: formParsed, logger, db }).schedule,
  }
}

describe("the module's and the providers' runtime", () => {
  it("paces checks alike everywhere with no schedule options: the same defaults", () => {
    const { module, card, form: formSchedule } = schedules({}, form)
    expect(card).toEqual(module)
    expect(formSchedule).toEqual(module)
    expect(module).toMatchObject({ firstCheckMs: 120_000, reverseAfterMs: 900_000, sendMarginMs: 30_000 })
  })

  it("paces the form's checks as the module's when given the plugin's schedule options", () => {
    const pace = {
      timeoutMs: "3000",
      reconcileAfterSeconds: "5",
      reconcileBackoffSeconds: "1,2",
      reconcileHorizonDays: 2,
      reverseAfterSeconds: 30,
    }
    const { module, card, form: formSchedule } = schedules(pace, { ...form, ...pace })
    expect(card).toEqual(module)
    expect(formSchedule).toEqual(module)
    expect(module).toEqual({
      firstCheckMs: 5000,
      backoffMs: [1000, 2000],
      looksAfterMs: null,
      horizonMs: 2 * 24 * 3600_000,
      reverseAfterMs: 30_000,
      sendMarginMs: 6000,
    })
  })

  it("builds a client for the card gateway and a status reader for the form, only when given their options", () => {
    const cardOptions = parsePaysysOptions(card)
    const formOptions = parsePaysysFormOptions(form)
    const both = paysysRuntime({ schedule: cardOptions, card: cardOptions, form: formOptions, logger, db })
    expect(both.client).not.toBeNull()
    expect(typeof both.formStatus).toBe("function")
    const formOnly = paysysRuntime({ schedule: formOptions, card: null, form: formOptions, logger, db })
    expect(formOnly.client).toBeNull()
    const cardOnly = paysysRuntime({ schedule: cardOptions, card: cardOptions, form: null, logger, db })
    expect(cardOnly.formStatus).toBeNull()
  })

  it("refuses a bad schedule option given to the form, naming it", () => {
    expect(() => parsePaysysFormOptions({ ...form, reconcileBackoffSeconds: "0,5" })).toThrow(
      /`reconcileBackoffSeconds.0` Too small/
    )
  })
})
