import { IncomingMessage, ServerResponse } from "node:http"

/** Small helpers over node:http, shared by the gateway, the 3-D Secure pages and the control API. */

export class BodyTooLargeError extends Error {
  readonly name = "BodyTooLargeError"
}

/** The whole request body as text; refuses more than `maxBytes`. */
export function readBody(request: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    request.on("data", (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBytes) {
        reject(new BodyTooLargeError(`request body over ${maxBytes} bytes`))
        request.destroy()
        return
      }
      chunks.push(chunk)
    })
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    request.on("error", reject)
  })
}

/** The body, or null once a 413 was answered for a body over `maxBytes`. */
export async function readBodyOr413(
  request: IncomingMessage,
  response: ServerResponse,
  maxBytes: number
): Promise<string | null> {
  try {
    return await readBody(request, maxBytes)
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      sendText(response, 413, error.message)
      return null
    }
    throw error
  }
}

/** JSON answer; the control API pretty-prints, the gateway answers compactly as PaySys does. */
export function sendJson(response: ServerResponse, status: number, body: unknown, pretty = true): void {
  const text = pretty ? JSON.stringify(body, null, 2) : JSON.stringify(body)
  response.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-store",
  })
  response.end(text)
}

export function sendHtml(response: ServerResponse, status: number, html: string): void {
  response.writeHead(status, {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Length": Buffer.byteLength(html),
    "Cache-Control": "no-store",
    // the pages hold no script: forbid any, and framing by other sites
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action *; frame-ancestors 'none'",
  })
  response.end(html)
}

export function sendText(
  response: ServerResponse,
  status: number,
  text: string,
  contentType = "text/plain; charset=utf-8"
): void {
  response.writeHead(status, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(text) })
  response.end(text)
}

export function redirect(response: ServerResponse, location: string): void {
  response.writeHead(302, { Location: location, "Content-Length": 0, "Cache-Control": "no-store" })
  response.end()
}

export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
