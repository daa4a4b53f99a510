import type { Knex } from "knex"
import { performance } from "node:perf_hooks"
import { setTimeout as sleep } from "node:timers/promises"
import { MedusaError } from "@medusajs/framework/utils"
import { groupCommit } from "./group-commit"
import { NewNotification, NotificationInsert, RecordedNotification } from "./notification-insert"

/** Rows per INSERT, so that one statement stays small whatever the burst */
const NOTIFICATION_INSERT_MAX_ROWS = 500

export type NotificationState = {
  id: string
  partner_trans_id: string | null
  attempts: number
  processed_at: Date | null
  parked_at: Date | null
  outcome: string | null
}

export type NotificationStateChanges = {
  processed_at?: Date | null
  outcome?: string | null
  attempts?: number
  last_error?: string | null
  next_attempt_at?: Date | null
  parked_at?: Date | null
}

const NOTIFICATION_STATE_COLUMNS = [
  "processed_at",
  "outcome",
  "attempts",
  "last_error",
  "next_attempt_at",
  "parked_at",
] as const satisfies readonly (keyof NotificationStateChanges)[]

/**
 * The notifications PaySys sent, as the callbacks record them and processing reads and updates
 * them: in plain statements on the module's connection, for the ORM would only slow them down.
 */
export class NotificationLog {
  protected readonly insert_: NotificationInsert
  /** notifications arriving together are written by one statement (record) */
  protected readonly record_: (input: NewNotification) => Promise<RecordedNotification>
  /** when the last notification came (performance.now()), for quiet */
  protected lastNotificationAt_ = Number.NEGATIVE_INFINITY

  constructor(protected readonly db_: Knex) {
    this.insert_ = new NotificationInsert(db_)
    this.record_ = groupCommit((inputs: NewNotification[]) => this.insert_.run(inputs), NOTIFICATION_INSERT_MAX_ROWS)
  }

  /**
   * Records a notification: a new one is inserted, a repeated delivery of one already recorded
   * only counts. Answers its id and whether it still needs processing. Notifications that
   * arrive together are recorded by one statement (group commit): under a burst of callbacks,
   * one INSERT and one commit per callback made each answer wait on the database.
   */
  record(input: NewNotification): Promise<RecordedNotification> {
    this.lastNotificationAt_ = performance.now()
    return this.record_(input)
  }

  /**
   * Resolves once no notification has come for `quietMs`, or at `latest` (a performance.now()
   * time), whichever is first: processing waits for a burst of callbacks to end, so the answers
   * to PaySys come first, yet never longer than `latest`.
   */
  async quiet(quietMs: number, latest: number): Promise<void> {
    for (;;) {
      const wait = Math.min(this.lastNotificationAt_ + quietMs, latest) - performance.now()
      if (wait <= 0) {
        return
      }
      await sleep(wait)
    }
  }

  /**
   * What processing reads of a notification, in one statement. Processing runs for every
   * notification: the generated retrieve and update (an entity load; a transaction with change
   * sets, serialization and events) cost it about 5 ms of the server's CPU each time, and an
   * entity manager forked per call is garbage that a burst's processing piles up.
   */
  async retrieveState(id: string): Promise<NotificationState> {
    const {
      rows: [row],
    }: { rows: NotificationState[] } = await this.db_.raw(
      `select id, partner_trans_id, attempts, processed_at, parked_at, outcome from paysys_notification where id = ? and deleted_at is null`,
      [id]
    )
    if (!row) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `PaySys notification with id: ${id} was not found`)
    }
    return row
  }

  /** Writes what processing concluded, in one statement (see retrieveState). */
  async updateState(id: string, changes: NotificationStateChanges): Promise<void> {
    const columns = NOTIFICATION_STATE_COLUMNS.filter((column) => changes[column] !== undefined)
    await this.db_.raw(
      `update paysys_notification set ${columns.map((column) => `${column} = ?`).join(", ")}, updated_at = now() where id = ? and deleted_at is null`,
      [...columns.map((column) => changes[column] ?? null), id]
    )
  }
}
