import { AsyncLocalStorage } from "node:async_hooks"

const counting = new AsyncLocalStorage<{ calls: number }>()

/**
 * The PaySys calls `work` makes through clients wrapped by countingCalls: what background work
 * spent, whatever path settling took (a check, a reversal and its confirmation...).
 */
export async function countCalls<T>(
  work: () => Promise<T>
): Promise<{ calls: number; result: PromiseSettledResult<T> }> {
  const count = { calls: 0 }
  const [result] = await counting.run(count, () => Promise.allSettled([work()]))
  return { calls: count.calls, result }
}

/**
 * A PaySys client (or the form's status reader) whose calls countCalls sees: a method answering a
 * promise is a request to PaySys; one answering at once (isTransactionNotFound) asks PaySys nothing.
 */
export function countingCalls<T extends object>(client: T): T {
  const counted = (answer: unknown) => {
    const current = counting.getStore()
    if (current && answer instanceof Promise) {
      current.calls++
    }
    return answer
  }
  if (typeof client === "function") {
    return new Proxy(client, {
      apply: (target, self, args) => counted(Reflect.apply(target as (...a: unknown[]) => unknown, self, args)),
    })
  }
  return new Proxy(client, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver)
      return typeof value === "function" ? (...args: unknown[]) => counted(Reflect.apply(value, target, args)) : value
    },
  })
}
