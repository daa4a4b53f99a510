import resources from "../index"
import { PAYMENT_FILTER_STATES } from "../../lib/paysys-page"

/** "paysys.history.deliveries_one" -> ["paysys.history.deliveries", "one"] (i18next's plural keys). */
const PLURAL = /_(zero|one|two|few|many|other)$/

function keys(value: unknown, prefix = ""): string[] {
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) =>
    typeof child === "object" && child !== null ? keys(child, `${prefix}${key}.`) : [`${prefix}${key}`]
  )
}

describe("the admin panel's languages", () => {
  const english = keys(resources.en.translation)

  it.each(Object.keys(resources))(
    "%s has every English string, with the plural forms its language uses",
    (language) => {
      const own = keys(resources[language as keyof typeof resources].translation)
      const singular = (list: string[]) => [...new Set(list.map((key) => key.replace(PLURAL, "")))].sort()
      expect(singular(own)).toEqual(singular(english))

      const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories
      for (const plural of singular(english.filter((key) => PLURAL.test(key)))) {
        const forms = own.filter((key) => key.replace(PLURAL, "") === plural).map((key) => PLURAL.exec(key)![1])
        expect({ plural, forms: forms.sort() }).toEqual({ plural, forms: expect.arrayContaining([...categories]) })
      }
    }
  )

  it("names every state the Payments filter offers", () => {
    const states = english
      .filter((key) => key.startsWith("paysys.page.payments.states."))
      .map((key) => key.split(".").pop())
    expect(states.sort()).toEqual([...PAYMENT_FILTER_STATES].sort())
  })
})
