import { dropDatabase } from "../demo/database"

export default async function globalTeardown() {
  const resources = (globalThis as any).__PAYSYS_TEST_RESOURCES__
  await Promise.all((resources?.sandboxes ?? []).map((sandbox: { close(): Promise<void> }) => sandbox.close()))
  if (resources) {
    await dropDatabase(resources.database.env, resources.template)
  }
  await resources?.database.stop()
}
