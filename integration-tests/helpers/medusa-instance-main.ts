/**
 * A second Medusa server in its own process, for the multi-instance tests: same
 * medusa-config.ts, same database and Redis as the test runner's app.
 * Prints "listening <port>" once it serves requests.
 */
import express from "express"
import path from "node:path"

async function main() {
  const directory = path.resolve(__dirname, "../..")
  const app = express()
  const loaders = require("@medusajs/medusa/loaders/index").default
  const { shutdown } = await loaders({ directory, expressApp: app })
  const server = app.listen(Number(process.env.PORT), () => console.log(`listening ${process.env.PORT}`))
  const stop = () => server.close(() => shutdown().finally(() => process.exit(0)))
  process.on("SIGTERM", stop)
  process.on("SIGINT", stop)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
