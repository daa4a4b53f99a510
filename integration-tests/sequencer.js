const path = require("node:path")
const Sequencer = require("@jest/test-sequencer").default

/*
 * The integration suites run on two jest workers, each taking the next suite when it is free:
 * longest first (as they took in a run of the whole set), so that no long one starts last and
 * runs alone at the end. The browser suites, which take turns (browser/one-at-a-time.ts), sit
 * between long ones so that a worker seldom waits for the other's. A suite not listed comes
 * last, longest first as jest remembers it (else largest first).
 */
const ORDER = [
  "http/money-invariant.spec.ts",
  "package/installed-package.spec.ts",
  "http/notifications.spec.ts",
  "http/notifications-redis.spec.ts",
  "browser/demo.spec.ts",
  "http/money-safety.spec.ts",
  "http/saved-cards.spec.ts",
  "http/checkout.spec.ts",
  "browser/admin-widget.spec.ts",
  "http/two-servers.spec.ts",
  "http/payment-form.spec.ts",
  "http/needs-you.spec.ts",
  "browser/admin-paysys-page.spec.ts",
  "http/form-only.spec.ts",
  "http/admin-panel.spec.ts",
  "http/form-callback-attacks.spec.ts",
  "package/package-contents.spec.ts",
  "http/card-testing.spec.ts",
  "http/background-budget.spec.ts",
  "http/plugin-boot.spec.ts",
  "package/storefront-kit-types.spec.ts",
]

const position = (test) => {
  const index = ORDER.indexOf(path.relative(__dirname, test.path).split(path.sep).join("/"))
  return index === -1 ? ORDER.length : index
}

class LongestFirst extends Sequencer {
  sort(tests) {
    // Array.prototype.sort is stable: the suites not listed keep jest's order
    return super.sort(tests).sort((a, b) => position(a) - position(b))
  }
}

module.exports = LongestFirst
