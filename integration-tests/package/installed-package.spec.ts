import axios from "axios"
import { execFileSync, spawn } from "node:child_process"
import { mkdirSync, mkdtempSync, readFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { dropDatabase, ensureDatabase } from "../../demo/database"
import { REPO_ROOT } from "../../demo/shared"
import { configuredDatabase, databaseUrl } from "../../scripts/postgres"
import { SeededStore } from "../../scripts/seed-store"
import { card, CARDS, passThreeDs, sandboxPaysysClient, Storefront, STOREFRONT_URL, THREE_DS_CODE } from "../helpers/checkout"
import { FreshApp, packPlugin, PackageManager } from "./fresh-app"

/*
 * The package as a merchant gets it: `npm pack` of the built plugin, installed into a fresh
 * Medusa 2.21.2 app made from the README (with npm, and with pnpm's strict layout), migrated
 * with `npx medusa db:migrate`, started with `medusa start`, and one payment taken through the
 * sandbox over HTTP. Each app's commands and Medusa's output go to test-artifacts/logs/.
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

const MANAGERS: PackageManager[] = ["npm", "pnpm"]
const workDir = mkdtempSync(path.join(os.tmpdir(), "paysys-package-"))
const database = configuredDatabase()!
const dbName = (manager: PackageManager) => `paysys_fresh_${manager}_${process.pid}`
let tarball: string
/** Both apps install at once (mostly waiting on the network and the disk), each then tested in turn. */
const installing = new Map<PackageManager, Promise<FreshApp>>()

beforeAll(() => {
  mkdirSync(LOGS, { recursive: true })
  tarball = packPlugin(workDir)
  for (const manager of MANAGERS) {
    const app = FreshApp.create({
      dir: path.join(workDir, manager),
      manager,
      tarball,
      logFile: path.join(LOGS, `installed-package-${manager}.log`),
      env: {
        ...PAYSYS_ENV,
        PAYSYS_GATEWAY_URL: process.env.PAYSYS_GATEWAY_URL!,
        DATABASE_URL: databaseUrl(database, dbName(manager)),
        STORE_CORS: STOREFRONT_URL,
      },
    })
    app.catch(() => undefined) // reported by the describe that awaits it
    installing.set(manager, app)
  }
})

afterAll(async () => {
  await Promise.allSettled(installing.values())
  // two apps' node_modules are a lot of small files: removed in the background, not waited for
  spawn("rm", ["-rf", workDir], { detached: true, stdio: "ignore" }).unref()
})

describe("the packed tarball", () => {
  it("holds every file the README and the sandbox guide link to", () => {
    const files = execFileSync("tar", ["-tzf", tarball]).toString().split("\n").map((entry) => entry.replace(/^package\//, ""))
    for (const doc of ["README.md", "src/sandbox/README.md"]) {
      expect(files).toContain(doc)
      const links = [...readFileSync(path.join(REPO_ROOT, doc), "utf8").matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1])
      for (const link of links.filter((target) => !/^[a-z]+:/.test(target) && !target.startsWith("#"))) {
        expect({ doc, link, shipped: files.includes(path.posix.join(path.posix.dirname(doc), link)) }).toEqual({ doc, link, shipped: true })
      }
    }
    expect(files.filter((file) => file.includes("__tests__"))).toEqual([])
  })
})

describe.each(MANAGERS)("a fresh Medusa app installing it with %s", (manager) => {
  let app: FreshApp | undefined

  beforeAll(async () => {
    app = await installing.get(manager)
  })

  afterAll(async () => {
    await app?.stop()
    await dropDatabase(database, dbName(manager))
  })

  it("finds the admin widget's packages beside the plugin, at Medusa's versions", () => {
    for (const [name, version] of Object.entries(ADMIN_PEERS)) {
      const installed = JSON.parse(readFileSync(path.join(app!.besidePlugin(name), "package.json"), "utf8")).version
      expect({ name, installed }).toEqual({ name, installed: expect.stringMatching(version) })
    }
  })

  it("migrates with `npx medusa db:migrate`, starts, and takes a card payment through the sandbox", async () => {
    await ensureDatabase(database, dbName(manager))
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
    const atPaysys = await sandboxPaysysClient().checkPayment({ partner_trans_id: posted.data.payment_session.data.partner_trans_id })
    expect(atPaysys.status).toBe(2)
  })
})
