import { MALFORMED_REQUEST_NOTE } from "./assumptions"

/**
 * The merchant's answer codes, with the documented ERROR_NOTE texts,
 * except -8, whose text is what PaySys's cabinet auto-test expects.
 */
export const FORM_ERRORS = {
  SUCCESS: { ERROR: 0, ERROR_NOTE: "Success" },
  SIGN_CHECK_FAILED: { ERROR: -1, ERROR_NOTE: "SIGN CHECK FAILED!" },
  INCORRECT_AMOUNT: { ERROR: -2, ERROR_NOTE: "Incorrect parameter amount" },
  ACTION_NOT_FOUND: { ERROR: -3, ERROR_NOTE: "Action not found" },
  ALREADY_PAID: { ERROR: -4, ERROR_NOTE: "Already paid" },
  USER_NOT_FOUND: { ERROR: -5, ERROR_NOTE: "User does not exist" },
  TRANSACTION_NOT_FOUND: { ERROR: -6, ERROR_NOTE: "Transaction does not exist" },
  UPDATE_FAILED: { ERROR: -7, ERROR_NOTE: "Failed to update user" },
  BAD_REQUEST: { ERROR: -8, ERROR_NOTE: MALFORMED_REQUEST_NOTE },
  TRANSACTION_CANCELLED: { ERROR: -9, ERROR_NOTE: "Transaction cancelled" },
  VENDOR_NOT_FOUND: { ERROR: -10, ERROR_NOTE: "The vendor is not found" },
  WRONG_TRANSACTION_TYPE: { ERROR: -11, ERROR_NOTE: "Transaction type is not correct" },
} as const

export type FormErrorKey = keyof typeof FORM_ERRORS

export type FormErrorAnswer = { ERROR: number; ERROR_NOTE: string }

/**
 * An error answer carries the two fields only, the note exactly as listed: PaySys's
 * auto-test may compare it, so what was wrong goes to the merchant's log, not to the note.
 */
export function formErrorAnswer(key: Exclude<FormErrorKey, "SUCCESS">): FormErrorAnswer {
  const { ERROR, ERROR_NOTE } = FORM_ERRORS[key]
  return { ERROR, ERROR_NOTE }
}

/** A success answer with the callback's own fields (VENDOR_TRANS_ID, PARAMETERS, TRANSACTIONS). */
export function formSuccessAnswer<T extends Record<string, unknown>>(fields: T = {} as T): FormErrorAnswer & T {
  return { ...FORM_ERRORS.SUCCESS, ...fields }
}

/** The key of a code, or null for a code the documentation does not list. */
export function formErrorKeyOf(code: number): FormErrorKey | null {
  const found = (Object.keys(FORM_ERRORS) as FormErrorKey[]).find((key) => FORM_ERRORS[key].ERROR === code)
  return found ?? null
}
