import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { notificationScenarios } from "../helpers/notification-scenarios"

jest.setTimeout(300_000)

// the reconciliation job looks at payments waiting longer than this
process.env.PAYSYS_RECONCILE_AFTER_SECONDS = "1"

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer, dbConnection }) => {
    describe("PaySys notifications (in-memory event bus, workflow engine and locking)", () => {
      notificationScenarios({ api, getContainer, dbConnection, races: 50 })
    })
  },
})
