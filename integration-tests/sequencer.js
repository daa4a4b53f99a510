const path = require("node:path")
const Sequencer = require("@jest/test-sequencer").default

/*
 * The integration suites run on two jest workers, each taking the next suite when it is free.
 * The longest start first, so that none of them starts last and runs alone at the end; the
 * browser suites, which take turns (browser/one-at-a-time.ts), sit between long ones so that a
 * worker seldom waits for the other's. Suites not listed follow, longest first as jest remembers
 * them (else largest first).
 */
const FIRST = [
  "http/money-invariant.spec.ts",
  "package/installed-package.spec.ts",
  "browser/demo.spec.ts",
  "http/notifications.spec.ts",
  "http/notifications-redis.spec.ts",
  "browser/admin-widget.spec.ts",
  "http/money-safety.spec.ts",
  "http/two-servers.spec.ts",
  "browser/admin-paysys-page.spec.ts",
]

const position = (test) => {
  const index = FIRST.indexOf(path.relative(__dirname, test.path).split(path.sep).join("/"))
  return index === -1 ? FIRST.length : index
}

class LongestFirst extends Sequencer {
  sort(tests) {
    // Array.prototype.sort is stable: the suites not listed keep jest's order
    return super.sort(tests).sort((a, b) => position(a) - position(b))
  }
}

module.exports = LongestFirst
