import { z } from "zod"
import type { ControlDeps } from "./control-api"

/** What the control API's routes are made of (control-api.ts, form-control-routes.ts). */

/** Answered as `status {"error": {field, message}}`. */
export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string
  ) {
    super(message)
  }
}

export type Route = {
  method: string
  pattern: RegExp
  handle: (deps: ControlDeps, match: string[], body: () => Promise<unknown>, query: URLSearchParams) => Promise<unknown> | unknown
}

/** Parses a body; a bad one throws a 400 ControlError naming the field. */
export function parse<S extends z.ZodTypeAny>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value)
  if (parsed.success) {
    return parsed.data
  }
  const issue = parsed.error.issues[0]
  const field =
    issue.code === "unrecognized_keys" ? issue.keys.join(", ") : issue.path.join(".") || "body"
  const message = issue.code === "unrecognized_keys" ? `unknown field(s): ${field}` : `${field}: ${issue.message}`
  throw new ControlError(400, message, field)
}
