const { MetadataStorage } = require("@medusajs/framework/mikro-orm/core")

MetadataStorage.clear()

// this jest worker's Medusa port and PaySys sandbox (global-setup.ts starts one per worker)
const workers = JSON.parse(process.env.PAYSYS_TEST_WORKERS ?? "{}")
const ids = Object.keys(workers)
if (ids.length) {
  const id = Number(process.env.JEST_WORKER_ID ?? 1)
  Object.assign(process.env, workers[id] ?? workers[ids[(id - 1) % ids.length]])
}

// suites squeeze days of reconciliation into seconds (1 s backoff): their pace is not a store's, so
// background work gets room unless a suite sets its own budget (the budget's own tests do)
process.env.PAYSYS_BACKGROUND_CALLS_PER_MINUTE ??= "100000"
