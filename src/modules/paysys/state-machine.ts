import type { Knex } from "knex"
import { MedusaError } from "@medusajs/framework/utils"

/** A transition table: each event, the states it may happen in and the state it leads to. */
export type TransitionTable<S extends string> = Record<string, { from: readonly S[]; to: S }>

export class IllegalTransitionError extends MedusaError {
  constructor(what: string, id: string, from: string, event: string) {
    super(MedusaError.Types.UNEXPECTED_STATE, `${what} ${id} is ${from}: ${event} cannot happen to it`)
  }
}

/**
 * A state machine over a table's `state` column: `next` answers the target of an event (pure),
 * `apply` writes it in one UPDATE guarded by the event's source states, so that a row another
 * writer moved meanwhile is never overwritten (null when no row matched).
 */
export function stateMachine<S extends string, T extends TransitionTable<S>>(what: string, table: T) {
  return {
    table,
    events: Object.keys(table) as (keyof T & string)[],
    allows(from: S, event: keyof T & string): boolean {
      return table[event].from.includes(from)
    },
    next(from: S, event: keyof T & string, id = "?"): S {
      const { from: sources, to } = table[event]
      if (!sources.includes(from)) {
        throw new IllegalTransitionError(what, id, from, event)
      }
      return to
    },
    async apply<R>(
      query: Knex.QueryBuilder,
      event: keyof T & string,
      values: Record<string, unknown>
    ): Promise<R | null> {
      const { from, to } = table[event]
      const [row] = await query
        .whereIn("state", [...from])
        .update({ ...values, state: to })
        .returning("*")
      return row ?? null
    },
  }
}
