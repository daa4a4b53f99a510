export default async function globalTeardown() {
  const resources = (globalThis as any).__PAYSYS_TEST_RESOURCES__
  await resources?.sandbox.close()
  await resources?.database.stop()
}
