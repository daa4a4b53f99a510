/** One CSV field (RFC 4180): quoted, with quotes doubled, when it holds a comma, a quote or a line break. */
export function csvField(value: string | null): string {
  if (value === null || value === undefined) {
    return ""
  }
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}
