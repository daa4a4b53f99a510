import Redis from "ioredis"
import type { Knex } from "knex"
import { RateLimiterPostgres, RateLimiterRedis, RateLimiterStoreAbstract } from "rate-limiter-flexible"

/** Where counts every server sees are kept: the store's Redis when it has one, else its PostgreSQL. */
export type SharedLimiterStore = { redisUrl: string } | { db: Knex }

/** The table rate-limiter-flexible keeps PostgreSQL counts in (the module's migrations make it). */
export const RATE_LIMIT_TABLE = "paysys_rate_limit"

/** One Redis connection per URL for all the plugin's limiters. */
const redisConnections = new Map<string, Redis>()

function redisOf(url: string): Redis {
  let redis = redisConnections.get(url)
  if (!redis) {
    redis = new Redis(url, { maxRetriesPerRequest: 1 })
    redis.on("error", () => undefined) // a lost connection refuses the limiter's calls, which say why
    redisConnections.set(url, redis)
  }
  return redis
}

/** Closes the limiters' Redis connections (a process that ends its work: tests, scripts). */
export function disconnectSharedLimiters(): void {
  redisConnections.forEach((redis) => redis.disconnect())
  redisConnections.clear()
}

/** Medusa's Redis (projectConfig.redisUrl, else REDIS_URL) when there is one, else the database. */
export function sharedLimiterStore(redisUrl: string | undefined, db: Knex): SharedLimiterStore {
  const url = redisUrl || process.env.REDIS_URL
  return url ? { redisUrl: url } : { db }
}

/** A limiter of `points` per `durationSeconds` whose counts all servers share. */
export function sharedRateLimiter(
  store: SharedLimiterStore,
  options: { keyPrefix: string; points: number; durationSeconds: number }
): RateLimiterStoreAbstract {
  const common = { keyPrefix: options.keyPrefix, points: options.points, duration: options.durationSeconds }
  return "redisUrl" in store
    ? new RateLimiterRedis({ ...common, storeClient: redisOf(store.redisUrl) })
    : new RateLimiterPostgres({ ...common, storeClient: store.db, storeType: "knex", tableName: RATE_LIMIT_TABLE, tableCreated: true })
}
