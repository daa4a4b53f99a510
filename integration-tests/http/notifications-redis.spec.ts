import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { PAYSYS_MODULE, PaysysModuleService } from "../../src/modules/paysys"
import { integrationTestRunner } from "../helpers/test-runner"
import { notificationScenarios } from "../helpers/notification-scenarios"
import { flushRedis, useRedisDatabase } from "../helpers/redis"
import { useEnv } from "../helpers/env"

// the 50 races take a minute or two on an idle 2-core machine; far longer beside another suite and other work
jest.setTimeout(600_000)

useEnv({
  PAYSYS_RECONCILE_AFTER_SECONDS: "1",
  PAYSYS_RECONCILE_BACKOFF_SECONDS: "1",
  PAYSYS_ABANDON_AFTER_SECONDS: "2",
})
const redisUrl = useRedisDatabase(7)

integrationTestRunner({
  hooks: { beforeServerStart: () => flushRedis(redisUrl) },
  testSuite: ({ api, getContainer, dbConnection }) => {
    describe("PaySys notifications (Redis event bus, workflow engine and locking)", () => {
      it("runs on Redis", () => {
        const name = (key: string) => (getContainer().resolve(key) as object).constructor.name
        expect(name(Modules.EVENT_BUS)).toBe("RedisEventBusService")
        expect(name(Modules.WORKFLOW_ENGINE)).toMatch(/Workflow/)
        expect(JSON.stringify(getContainer().resolve(ContainerRegistrationKeys.CONFIG_MODULE).modules)).toContain(
          "locking-redis"
        )
      })
      notificationScenarios({ api, getContainer, dbConnection, races: 50 })

      // Medusa's test runner gives the app's shutdown 5 s, then shuts it down again without a limit,
      // and its Redis workers wait for a running job: the plugin's background work is stopped first,
      // as Medusa's shutdown would, so that a job run the minute brings meanwhile has nothing to do
      afterAll(() => getContainer().resolve<PaysysModuleService>(PAYSYS_MODULE).__hooks.onApplicationPrepareShutdown())
    })
  },
})
