import { integrationTestRunner } from "../helpers/test-runner"
import knex, { Knex } from "knex"
import { randomBytes } from "node:crypto"
import { NotificationInsert } from "../../src/modules/paysys/notification-insert"
import { notificationScenarios } from "../helpers/notification-scenarios"
import { useEnv } from "../helpers/env"

// the 50 races take a minute or two on an idle 2-core machine; far longer beside another suite and other work
jest.setTimeout(600_000)

// the reconciliation job looks at payments waiting longer than 1 s; 2 s unfinished is abandoned
useEnv({
  PAYSYS_RECONCILE_AFTER_SECONDS: "1",
  PAYSYS_RECONCILE_BACKOFF_SECONDS: "1",
  PAYSYS_ABANDON_AFTER_SECONDS: "2",
})

integrationTestRunner({
  testSuite: ({ api, getContainer, dbConnection }) => {
    describe("PaySys notifications (in-memory event bus, workflow engine and locking)", () => {
      notificationScenarios({ api, getContainer, dbConnection, races: 50 })
    })

    describe("recording behind a pooler that loses prepared statements (PgBouncer in transaction mode)", () => {
      // one connection, so that what the test does to it is what the next INSERT meets
      let db: Knex
      beforeEach(() => {
        db = knex({ client: "pg", connection: dbConnection.client.config.connection, pool: { min: 1, max: 1 } })
      })
      afterEach(() => db.destroy())

      const tag = randomBytes(4).toString("hex")
      const notification = (name: string) => ({
        kind: "payment_status" as const,
        dedupe_key: `${tag}-${name}`,
        partner_trans_id: `${tag}-${name}`,
        reported_status: "2",
      })
      const recorded = (duplicate: boolean) => ({ id: expect.stringMatching(/^psnot_/), duplicate, processed: false })
      const deliveries = async () =>
        Object.fromEntries(
          (
            await dbConnection.raw(`select dedupe_key, deliveries from paysys_notification where dedupe_key like ?`, [
              `${tag}-%`,
            ])
          ).rows.map((row: { dedupe_key: string; deliveries: number }) => [
            row.dedupe_key.slice(tag.length + 1),
            row.deliveries,
          ])
        )

      it("the statement prepared earlier is gone from the server connection: the batch is recorded all the same, and later ones too", async () => {
        const insert = new NotificationInsert(db)
        expect(await insert.run([notification("a")])).toEqual([recorded(false)])
        // what a pooler does between transactions: the next server connection never saw it
        await db.raw("deallocate all")
        expect(await insert.run([notification("b"), notification("a")])).toEqual([recorded(false), recorded(true)])
        expect(await insert.run([notification("c")])).toEqual([recorded(false)])
        expect(await deliveries()).toEqual({ a: 2, b: 1, c: 1 })
      })

      it("a statement of that name exists already on the server connection: the batch is recorded all the same", async () => {
        await db.raw("prepare paysys_insert_notifications as select 1")
        const insert = new NotificationInsert(db)
        expect(await insert.run([notification("d"), notification("d")])).toEqual([recorded(false), recorded(true)])
        expect(await deliveries()).toMatchObject({ d: 2 })
      })
    })
  },
})
