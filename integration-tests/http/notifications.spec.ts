import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { notificationScenarios } from "../helpers/notification-scenarios"
import { useEnv } from "../helpers/env"

jest.setTimeout(300_000)

// the reconciliation job looks at payments waiting longer than 1 s; 2 s unfinished is abandoned
useEnv({ PAYSYS_RECONCILE_AFTER_SECONDS: "1", PAYSYS_RECONCILE_BACKOFF_SECONDS: "1", PAYSYS_ABANDON_AFTER_SECONDS: "2" })

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer, dbConnection }) => {
    describe("PaySys notifications (in-memory event bus, workflow engine and locking)", () => {
      notificationScenarios({ api, getContainer, dbConnection, races: 50 })
    })
  },
})
