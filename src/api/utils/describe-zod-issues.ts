import { z } from "zod"

/** "status: expected a number; account: required": every field named, no value echoed. */
export function describeZodIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map(
      (issue) =>
        `${issue.path.join(".") || "body"}: ${issue.code === "invalid_union" ? "has the wrong type" : issue.message}`
    )
    .join("; ")
}
