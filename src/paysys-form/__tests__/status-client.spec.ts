import http from "node:http"
import { AddressInfo } from "node:net"
import { PaysysTransportError } from "../../paysys/errors"
import { freePortForTest } from "../../paysys/__tests__/free-port"
import { startPaysysSandbox, PaysysSandbox } from "paysys-sandbox"
import { queryFormPaymentStatus } from "../status-client"

describe("the form's status API client, against the sandbox", () => {
  let sandbox: PaysysSandbox

  beforeAll(async () => {
    sandbox = await startPaysysSandbox({ port: 0 })
  })
  afterAll(async () => {
    await sandbox.close()
  })

  const query = (overrides: Partial<Parameters<typeof queryFormPaymentStatus>[0]> = {}) =>
    queryFormPaymentStatus({
      statusUrl: sandbox.statusUrl,
      vendorId: sandbox.credentials.formVendorId,
      secretKey: sandbox.credentials.formSecretKey,
      agrTransId: 987654321,
      paymentId: 9,
      ...overrides,
    })

  it("reads an unknown payment as not paid, with PaySys's code and note", async () => {
    expect(await query()).toEqual({ paid: false, error: -6, note: "Transaction does not exist" })
  })

  it("signs its request: another secret is refused with -1", async () => {
    expect(await query({ secretKey: "wrong" })).toEqual({ paid: false, error: -1, note: "SIGN CHECK FAILED!" })
  })

  it("throws a transport error when nothing listens, or the answer is not JSON", async () => {
    const port = await freePortForTest()
    await expect(query({ statusUrl: `http://127.0.0.1:${port}/pay_api/payment_status` })).rejects.toMatchObject({
      name: "PaysysTransportError",
      failure: "connection_refused",
    })
    const html = http.createServer((_req, res) =>
      res.writeHead(502, { "Content-Type": "text/html" }).end("<h1>Bad gateway</h1>")
    )
    await new Promise<void>((resolve) => html.listen(0, "127.0.0.1", resolve))
    try {
      const error = await query({ statusUrl: `http://127.0.0.1:${(html.address() as AddressInfo).port}/` }).catch(
        (e: unknown) => e
      )
      expect(error).toBeInstanceOf(PaysysTransportError)
      expect(error).toMatchObject({ failure: "http_status", httpStatus: 502 })
    } finally {
      await new Promise<void>((resolve) => html.close(() => resolve()))
    }
  })
})
