/** Every row of every table of the test database, as text, to search for what must not be stored. */
export async function dumpDatabase(dbConnection: { raw: (sql: string) => Promise<{ rows: any[] }> }): Promise<string> {
  const tables = await dbConnection.raw(
    "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'"
  )
  const parts: string[] = []
  for (const { table_name } of tables.rows) {
    const rows = await dbConnection.raw(`select t::text as row from "${table_name}" t`)
    parts.push(...rows.rows.map((r: { row: string }) => r.row))
  }
  return parts.join("\n")
}
