import type { Knex } from "knex"
import Redis from "ioredis"
import { RateLimiterPostgres, RateLimiterRedis, RateLimiterStoreAbstract } from "rate-limiter-flexible"

/** The PostgreSQL table rate-limiter-flexible keeps its counters in, when the store has no Redis. */
const COUNTERS_TABLE = "paysys_rate_limit"

export type LimiterWindow = { points: number; seconds: number }

/**
 * Where rate-limit counters live so that every server sees them: Redis when the store has it
 * (Medusa's projectConfig.redisUrl), else the database every server shares. Never one
 * process's memory. The Redis connection opens on first use and closes with `close`.
 */
export class LimiterStore {
  private redis_: Redis | null = null
  private table_: Promise<void> | null = null

  constructor(
    private readonly redisUrl: string | undefined,
    private readonly db: Knex
  ) {}

  get kind(): "redis" | "postgres" {
    return this.redisUrl ? "redis" : "postgres"
  }

  /** A limiter of `points` per `seconds`, its keys under `keyPrefix`. */
  async limiter(keyPrefix: string, { points, seconds }: LimiterWindow): Promise<RateLimiterStoreAbstract> {
    const common = { keyPrefix, points, duration: seconds }
    if (this.redisUrl) {
      this.redis_ ??= new Redis(this.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: true })
      return new RateLimiterRedis({ ...common, storeClient: this.redis_ })
    }
    const options = { ...common, storeClient: this.db, storeType: "knex", tableName: COUNTERS_TABLE, clearExpiredByTimeout: true }
    // the first limiter creates the table (if not there); the others wait for it rather than racing to create it too
    this.table_ ??= new Promise<void>((resolve, reject) => {
      new RateLimiterPostgres({ ...options, keyPrefix: `${keyPrefix}:init`, clearExpiredByTimeout: false }, (error?: Error) =>
        error ? reject(error) : resolve()
      )
    })
    await this.table_
    return new RateLimiterPostgres({ ...options, tableCreated: true })
  }

  async close(): Promise<void> {
    const redis = this.redis_
    this.redis_ = null
    await redis?.quit().catch(() => redis.disconnect())
  }
}
