import type { Knex } from "knex"
import Redis from "ioredis"
import { RateLimiterPostgres, RateLimiterRedis, RateLimiterStoreAbstract } from "rate-limiter-flexible"

/** The PostgreSQL table of the counters when the store has no Redis (created by the module's migrations). */
export const COUNTERS_TABLE = "paysys_rate_limit"

export type LimiterWindow = { points: number; seconds: number }

/**
 * Where rate-limit counters live so that every server sees them: Redis when the store has it
 * (Medusa's projectConfig.redisUrl), else the database every server shares. Never one
 * process's memory. The Redis connection opens on first use and closes with `close`.
 */
export class LimiterStore {
  private redis_: Redis | null = null

  constructor(
    private readonly redisUrl: string | undefined,
    private readonly db: Knex
  ) {}

  /** A limiter of `points` per `seconds`, its keys under `keyPrefix`. */
  limiter(keyPrefix: string, { points, seconds }: LimiterWindow): RateLimiterStoreAbstract {
    const common = { keyPrefix, points, duration: seconds }
    if (this.redisUrl) {
      this.redis_ ??= new Redis(this.redisUrl, { maxRetriesPerRequest: 1 }).on("error", () => undefined) // a lost connection refuses the limiters' calls, which say why
      return new RateLimiterRedis({ ...common, storeClient: this.redis_ })
    }
    return new RateLimiterPostgres({
      ...common,
      storeClient: this.db,
      storeType: "knex",
      tableName: COUNTERS_TABLE,
      tableCreated: true,
      clearExpiredByTimeout: true,
    })
  }

  async close(): Promise<void> {
    const redis = this.redis_
    this.redis_ = null
    await redis?.quit().catch(() => redis.disconnect())
  }
}
