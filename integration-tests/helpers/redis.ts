import Redis from "ioredis"

/** Redis here runs at 127.0.0.1:6379; each suite takes a database of its own and empties it first. */
export function useRedisDatabase(db: number): string {
  const url = `${process.env.PAYSYS_TEST_REDIS_URL ?? "redis://127.0.0.1:6379"}/${db}`
  process.env.REDIS_URL = url
  afterAll(() => {
    delete process.env.REDIS_URL
  })
  return url
}

export async function flushRedis(url: string) {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true })
  try {
    await redis.connect()
    await redis.flushdb()
  } catch (error) {
    throw new Error(`These tests need Redis at ${url} (set PAYSYS_TEST_REDIS_URL): ${(error as Error).message}`)
  } finally {
    redis.disconnect()
  }
}
