import { StatementTransaction } from "./schemas"

/** What a Statement line should say about one payment. */
export type ExpectedStatementLine = Pick<
  StatementTransaction,
  "STATE" | "VENDOR_TRANS_ID" | "MERCHANT_TRANS_ID" | "ENVIRONMENT"
> & { MERCHANT_TRANS_AMOUNT: string | number }

/** The fields of a Statement line that differ from what was expected, each named; empty when it is right. */
export function statementLineProblems(line: StatementTransaction, expected: ExpectedStatementLine): string[] {
  const fields = ["STATE", "VENDOR_TRANS_ID", "MERCHANT_TRANS_ID", "MERCHANT_TRANS_AMOUNT", "ENVIRONMENT"] as const
  return fields
    .filter((field) => String(line[field]) !== String(expected[field]))
    .map((field) => `${field} ${line[field]}, expected ${expected[field]}`)
}
