const { MetadataStorage } = require("@medusajs/framework/mikro-orm/core")

MetadataStorage.clear()

// suites squeeze days of reconciliation into seconds (1 s backoff): their pace is not a store's, so
// background work gets room unless a suite sets its own budget (the budget's own tests do)
process.env.PAYSYS_BACKGROUND_CALLS_PER_MINUTE ??= "100000"
