import axios from "axios"
import { spawn } from "node:child_process"
import { mkdirSync, mkdtempSync, readFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { dropDatabase, ensureDatabase } from "../../demo/database"
import { REPO_ROOT } from "../../demo/shared"
import { configuredDatabase, databaseUrl } from "../../scripts/postgres"
import { SeededStore } from "../../scripts/seed-store"
import {
  card,
  CARDS,
  passThreeDs,
  sandboxPaysysClient,
  Storefront,
  STOREFRONT_URL,
  THREE_DS_CODE,
} from "../helpers/checkout"
import { FreshApp, PackageManager } from "./fresh-app"
import { pack, PLUGIN } from "./packages"

// shared with .ci/run, which runs before anything is installed: plain JavaScript
const { nodeLineBin } = require("../../scripts/node-line") as { nodeLineBin(major: number): Promise<string> }

/*
 * The package as a merchant gets it: `npm pack` of the built plugin, installed into a fresh
 * Medusa 2.21.2 app made from the README, migrated with `npx medusa db:migrate`, started with
 * `medusa start`, and one payment taken through the sandbox over HTTP; on each Node.js line the
 * plugin supports. Each app's commands and Medusa's output go to test-artifacts/logs/.
 */

jest.setTimeout(20 * 60_000)

const LOGS = path.join(REPO_ROOT, "test-artifacts", "logs")
const PAYSYS_ENV = {
  PAYSYS_SERVICE_ID: "sandbox-service",
  PAYSYS_SECRET_KEY: "sandbox-secret",
  PAYSYS_VENDOR_ID: "100381",
  PAYSYS_VENDOR_METHOD: "sandbox-vendor",
  PAYSYS_VENDOR_SECRET_KEY: "sandbox-vendor-secret",
}
/** The packages the admin widget imports, with the versions Medusa 2.21.2's dashboard uses. */
const ADMIN_PEERS: Record<string, RegExp> = {
  "@medusajs/admin-sdk": /^2\.21\.2$/,
  "@medusajs/icons": /^2\.21\.2$/,
  "@medusajs/js-sdk": /^2\.21\.2$/,
  "@medusajs/ui": /^4\.2\.6$/,
  "@tanstack/react-query": /^5\.64\.2$/,
  "react-i18next": /^13\.5\.0$/,
  react: /^18\./,
}

type AppUnderTest = { node: number; manager: PackageManager }
/**
 * npm and pnpm's strict layout on the oldest Node the plugin supports, npm on the newer lines:
 * what differs between Node versions (Medusa's loaders, native modules) shows with one manager.
 */
const APPS: AppUnderTest[] = [
  { node: 20, manager: "npm" },
  { node: 20, manager: "pnpm" },
  { node: 22, manager: "npm" },
  { node: 24, manager: "npm" },
]
const workDir = mkdtempSync(path.join(os.tmpdir(), "paysys-package-"))
const database = configuredDatabase()!
const appName = ({ node, manager }: AppUnderTest) => `${manager}-node${node}`
const dbName = (app: AppUnderTest) => `paysys_fresh_${appName(app).replace("-", "_")}_${process.pid}`
/** The apps install at once (mostly waiting on the network and the disk), each then tested in turn. */
const installing = new Map<AppUnderTest, Promise<FreshApp>>()

beforeAll(() => {
  mkdirSync(LOGS, { recursive: true })
  const tarball = pack(PLUGIN, workDir)
  for (const under of APPS) {
    const app = nodeLineBin(under.node).then((nodeBin) =>
      FreshApp.create({
        dir: path.join(workDir, appName(under)),
        manager: under.manager,
        nodeBin,
        tarball,
        logFile: path.join(LOGS, `installed-package-${appName(under)}.log`),
        env: {
          ...PAYSYS_ENV,
          PAYSYS_GATEWAY_URL: process.env.PAYSYS_GATEWAY_URL!,
          DATABASE_URL: databaseUrl(database, dbName(under)),
          STORE_CORS: STOREFRONT_URL,
        },
      })
    )
    app.catch(() => undefined) // reported by the describe that awaits it
    installing.set(under, app)
  }
})

afterAll(async () => {
  await Promise.allSettled(installing.values())
  // the apps' node_modules are a lot of small files: removed in the background, not waited for
  spawn("rm", ["-rf", workDir], { detached: true, stdio: "ignore" }).unref()
})

describe.each(APPS)("a fresh Medusa app on Node $node installing it with $manager", (under) => {
  let app: FreshApp | undefined

  beforeAll(async () => {
    app = await installing.get(under)
  })

  afterAll(async () => {
    await app?.stop()
    await dropDatabase(database, dbName(under))
  })

  it(`runs its commands on Node ${under.node}`, () => {
    expect(app!.nodeVersion()).toMatch(new RegExp(`^v${under.node}\\.`))
  })

  it("finds the admin widget's packages beside the plugin, at Medusa's versions", () => {
    for (const [name, version] of Object.entries(ADMIN_PEERS)) {
      const installed = JSON.parse(readFileSync(path.join(app!.besidePlugin(name), "package.json"), "utf8")).version
      expect({ name, installed }).toEqual({ name, installed: expect.stringMatching(version) })
    }
  })

  it("migrates with `npx medusa db:migrate`, starts, and takes a card payment through the sandbox", async () => {
    await ensureDatabase(database, dbName(under))
    await app!.medusa(["db:migrate"])
    const store = await app!.seed<SeededStore>()
    // on the tests' Medusa port: the sandbox's notifications come to this app
    const url = await app!.start(Number(process.env.PORT))

    const storefront = new Storefront(axios.create({ baseURL: url }), store)
    const cart = await storefront.cartReadyForPayment("uzs", [{ variantId: store.products[0].variantId, quantity: 1 }])
    const session = await storefront.startPaysysSession(cart.id)
    const posted = await storefront.postCard(session.id, card(CARDS.visa))
    expect(posted.status).toBe(200)
    const threeDs = await passThreeDs(posted.data.confirm_url, { code: THREE_DS_CODE })
    expect(threeDs.location).toBe(`${STOREFRONT_URL}/checkout/paysys-return`)

    const completed = await storefront.complete(cart.id)
    expect([completed.status, completed.data.type]).toEqual([200, "order"])
    const atPaysys = await sandboxPaysysClient().checkPayment({
      partner_trans_id: posted.data.payment_session.data.partner_trans_id,
    })
    expect(atPaysys.status).toBe(2)
  })
})
