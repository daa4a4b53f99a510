import http from "node:http"
import { AddressInfo } from "node:net"
import { cardRegistrationNotification, PaysysClient, PaysysError, PaysysLogger } from "../../../paysys"
import { toNotificationRecord } from "../notification-record"
import {
  futureExpiry,
  startTestSandbox,
  TestSandbox,
  uniqueId,
} from "../../../../packages/sandbox/src/__tests__/helpers"

const VISA = "4111111111111111"
const ECHOES = [
  ["run together", VISA],
  ["with spaces", "4111 1111 1111 1111"],
  ["with dashes", "4111-1111-1111-1111"],
  ["mixed", "4111 - 1111-1111 1111"],
] as const
const anyFormOfVisa = new RegExp(VISA.split("").join("[\\s-]*"))

/** PaySys's answers that echo the card, through the client over real HTTP: nothing leaves it unmasked. */
describe("PaysysClient masks the card PaySys echoes", () => {
  let sandbox: TestSandbox
  let lines: string[]
  const logger: PaysysLogger = { debug: (line) => lines.push(line), warn: (line) => lines.push(line) }
  const clientOf = (gatewayUrl: string) =>
    new PaysysClient({
      gatewayUrl,
      serviceId: sandbox.credentials.serviceId,
      secretKey: sandbox.credentials.secretKey,
      logger,
    })

  beforeAll(async () => {
    sandbox = await startTestSandbox()
  })
  afterAll(async () => {
    await sandbox.close()
  })
  beforeEach(async () => {
    lines = []
    await sandbox.control("/faults", { method: "DELETE" })
  })
  afterEach(() => {
    expect(lines.join("\n")).not.toMatch(anyFormOfVisa)
  })

  it.each(ECHOES)("an error answer with the card %s: the error and the log line hold it masked", async (_, echoed) => {
    await sandbox.control("/faults", {
      body: {
        kind: "paysys_error",
        method: "paysys.prepare_payment",
        count: 1,
        code: -31630,
        message: `Card ${echoed} is blocked`,
      },
    })
    const error = await clientOf(sandbox.gatewayUrl)
      .preparePayment({
        card_holder_name: "AZIZ KARIMOV",
        card_number: VISA,
        card_expire: futureExpiry(),
        card_cvc: "737",
        amount: "1139000",
        currency: "uzs",
        vendor_id: sandbox.credentials.vendorId,
        partner_trans_id: uniqueId("echo"),
        client_ip_addr: "192.4.59.3",
        description: "Month subscription",
      })
      .catch((e) => e)
    expect(error).toBeInstanceOf(PaysysError)
    expect(error.paysysMessage).toBe("Card 411111******1111 is blocked")
    expect(error.message).not.toMatch(anyFormOfVisa)
    expect(lines.join("\n")).toContain("-31630 Card 411111******1111 is blocked")
  })

  describe("check_payment's err_obj", () => {
    let server: http.Server
    let echoed = ""
    beforeAll(async () => {
      // a gateway answering check_payment with a declined payment whose err_obj echoes the card
      server = http.createServer((request, response) => {
        request.resume().on("end", () => {
          response.writeHead(200, { "Content-Type": "application/json" })
          response.end(
            JSON.stringify({
              id: "1",
              error: null,
              result: {
                transaction_id: "1485295",
                partner_trans_id: "order-1",
                status: "-1",
                data: { RRN: "217909211968", CARD_NUMBER: "411111******1111" },
                err_obj: { code: -33005, message: `Card ${echoed} declined, amount 75000000, transaction 1485295` },
              },
              mx_id: "007ed8fddeffb2301b7a0c21d968b9b4",
            })
          )
        })
      })
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    })
    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve))
    })

    it.each(ECHOES)("with the card %s is masked, the rest kept", async (_, card) => {
      echoed = card
      const { port } = server.address() as AddressInfo
      const checked = await clientOf(`http://127.0.0.1:${port}/gateway`).checkPayment({ partner_trans_id: "order-1" })
      expect(checked.err_obj).toEqual({
        code: -33005,
        message: "Card 411111******1111 declined, amount 75000000, transaction 1485295",
      })
      expect(checked.data).toMatchObject({ RRN: "217909211968" })
    })
  })

  it("a partner.notify ERROR echoing the card is recorded masked", () => {
    const parsed = cardRegistrationNotification.parse({
      id: "n1",
      method: "partner.notify",
      params: {
        stat: "ERROR",
        id: "d553921350e68a6af96d63a544720f9c",
        code: -34000,
        message: "Card 4111-1111-1111-1111 is blocked",
      },
    })
    expect(toNotificationRecord(parsed)).toMatchObject({
      error_code: -34000,
      error_message: "Card 411111******1111 is blocked",
    })
  })
})
