import { spawn } from "node:child_process"
import { createHash } from "node:crypto"
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs"
import { readFile } from "node:fs/promises"
import http from "node:http"
import { AddressInfo } from "node:net"
import path from "node:path"

/*
 * The storefront in demo/storefront: built with Vite (it bundles @medusajs/js-sdk for the
 * browser), then served as static files with the settings the page needs at /config.json.
 * Any path without a file extension answers index.html, so /checkout/paysys-return (where
 * PaySys sends the shopper back after 3-D Secure) is the same page.
 */

export const STOREFRONT_SOURCE = path.join(__dirname, "storefront")
/** what the storefront is built from: its own files and the storefront kit's build */
const BUILD_INPUTS = [
  STOREFRONT_SOURCE,
  path.join(path.dirname(require.resolve("medusa-payment-paysys-storefront/package.json")), "dist"),
]

export type StorefrontConfig = { medusaUrl: string; publishableKey: string }
export type StorefrontServer = { url: string; port: number; close(): Promise<void> }

/**
 * Builds the storefront into `outDir` (Vite's CLI, in a process of its own) unless the same
 * sources were built there already.
 */
export async function buildStorefront(outDir: string): Promise<string> {
  const stamp = path.join(outDir, ".source-hash")
  const hash = sourceHash()
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === hash) {
    return outDir
  }
  const viteCli = path.join(path.dirname(require.resolve("vite/package.json")), "bin", "vite.js")
  const args = [
    viteCli,
    "build",
    STOREFRONT_SOURCE,
    "--outDir",
    outDir,
    "--emptyOutDir",
    "--logLevel",
    "warn",
    "--target",
    "es2020",
  ]
  const output: string[] = []
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: STOREFRONT_SOURCE, stdio: ["ignore", "pipe", "pipe"] })
    child.stdout.on("data", (chunk) => output.push(String(chunk)))
    child.stderr.on("data", (chunk) => output.push(String(chunk)))
    child.once("error", reject)
    child.once("close", resolve)
  })
  if (code !== 0) {
    throw new Error(`the storefront build failed (vite build, exit code ${code}):\n${output.join("").trim()}`)
  }
  writeFileSync(stamp, hash)
  return outDir
}

function sourceHash(): string {
  const hash = createHash("sha1")
  const add = (file: string) => {
    if (statSync(file).isDirectory()) {
      readdirSync(file)
        .sort()
        .forEach((name) => add(path.join(file, name)))
    } else {
      hash.update(file).update(readFileSync(file))
    }
  }
  BUILD_INPUTS.forEach(add)
  return hash.digest("hex")
}

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".ico": "image/x-icon",
}

export async function serveStorefront(input: {
  port: number
  dir: string
  config: StorefrontConfig
}): Promise<StorefrontServer> {
  const root = path.resolve(input.dir)
  const configJson = JSON.stringify(input.config)

  const server = http.createServer(async (request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? "/", "http://storefront.invalid").pathname)
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405).end()
      return
    }
    if (pathname === "/config.json") {
      response.writeHead(200, { "content-type": CONTENT_TYPES[".json"], "cache-control": "no-store" }).end(configJson)
      return
    }
    const extension = path.extname(pathname)
    const file = extension ? path.join(root, path.normalize(pathname)) : path.join(root, "index.html")
    if (!file.startsWith(root + path.sep)) {
      response.writeHead(404).end()
      return
    }
    try {
      const body = await readFile(file)
      response
        .writeHead(200, {
          "content-type": CONTENT_TYPES[path.extname(file)] ?? "application/octet-stream",
          "cache-control": file.includes(`${path.sep}assets${path.sep}`)
            ? "public, max-age=31536000, immutable"
            : "no-cache",
        })
        .end(request.method === "HEAD" ? undefined : body)
    } catch {
      response.writeHead(404, { "content-type": "text/plain" }).end(`nothing at ${pathname}`)
    }
  })

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    // every interface, like Medusa: the browser may resolve localhost to ::1 or 127.0.0.1
    server.listen(input.port, () => {
      server.off("error", reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://localhost:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
