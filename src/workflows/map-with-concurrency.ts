import { concurrencyLimit } from "./concurrency-limit"

/** Runs `work` over `items`, at most `limit` at a time; resolves with each outcome. */
export function mapWithConcurrency<T, R>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<R>
): Promise<PromiseSettledResult<R>[]> {
  const run = concurrencyLimit(limit)
  return Promise.allSettled(items.map((item) => run(() => work(item))))
}
