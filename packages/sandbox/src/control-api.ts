import { IncomingMessage, ServerResponse } from "node:http"
import { z } from "zod"
import { cardNotifyBody, statusNotificationBody } from "./callback-bodies"
import { ControlDeps, ControlError, parse, Route, writeRefusal } from "./control-route"
import { faultSchema } from "./faults"
import { FORM_CONTROL_ROUTES } from "./form-control-routes"
import { BodyTooLargeError, readBody, sendJson } from "./http-utils"
import { callbackBehaviourSchema, flushSchema } from "./notifier"
import { refundedTotal, SavedCard, Transaction } from "./state"

/*
 * The control API, under /__sandbox, JSON in and out. It is not part of PaySys: it lets tests and
 * developers look inside the sandbox and make it misbehave. Bodies are validated; a bad one is
 * answered 400 {"error": {"field", "message"}}. A POST must be `Content-Type: application/json`
 * (415 otherwise), and no write may come from another site or origin (403): see writeRefusal. Times are ISO strings on the sandbox clock
 * (history, refunds) or real time (calls, notifications).
 *
 *   GET    /__sandbox                                this list, the gateway URL and the credentials
 *   POST   /__sandbox/config                         {notifyUrl?, cardNotifyUrl?, merchantApiUrl?} (null unsets):
 *                                                    the "cabinet"
 *   GET    /__sandbox/transactions                   every payment, full state
 *   GET    /__sandbox/transactions/:partner_trans_id one payment: status, card (masked), history,
 *                                                    refunds, notifications sent
 *   GET    /__sandbox/cards                          saved cards, with their token (sandbox-only!)
 *   GET    /__sandbox/cards/:card_id                 one saved card
 *   GET    /__sandbox/calls[?method=]                gateway calls: per-method counts and the list
 *                                                    (method, partner_trans_id, time, outcome)
 *   POST   /__sandbox/calls/reset                    forget the calls
 *   GET    /__sandbox/faults                         the faults waiting
 *   POST   /__sandbox/faults                         {kind, method?, count?, applyFirst?, latencyMs?,
 *                                                    status?, body?, code?, message?, retryAfterSeconds?,
 *                                                    retryAfterFormat?} (see faults.ts)
 *   DELETE /__sandbox/faults                         remove every fault
 *   GET    /__sandbox/callbacks                      the callback behaviour and how many are held
 *   POST   /__sandbox/callbacks                      {mode, count?, kind?, copies?, delayMs?} (see notifier.ts)
 *   POST   /__sandbox/callbacks/flush                {order?: "fifo"|"reverse"}: deliver the held ones,
 *                                                    answers once they were all answered
 *   GET    /__sandbox/notifications[?partner_trans_id=&card_id=&agr_trans_id=]  the delivery log
 *   POST   /__sandbox/notify                         send a callback now, whatever the behaviour:
 *                                                    {partner_trans_id, status?, amount?, url?} a status
 *                                                    notification (status/amount override = a forged one), or
 *                                                    {card_id, stat?, url?} a partner.notify; answers the delivery
 *   GET    /__sandbox/clock                          {now, offset_ms}
 *   POST   /__sandbox/clock                          {advanceMs}: move the sandbox clock forward
 *   POST   /__sandbox/reset                          forget everything: payments, cards, calls, faults,
 *                                                    notifications, callback behaviour, clock offset,
 *                                                    the calls counted by requestsPerMinute
 *   /__sandbox/form/...                               the payment form's (form-control-routes.ts)
 */

const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" })

const configSchema = z.strictObject({
  notifyUrl: httpUrl.nullable().optional(),
  cardNotifyUrl: httpUrl.nullable().optional(),
  merchantApiUrl: httpUrl.nullable().optional(),
})

const clockSchema = z.strictObject({ advanceMs: z.number().int().min(0) })

const notifySchema = z
  .strictObject({
    partner_trans_id: z.string().min(1).optional(),
    status: z.number().int().optional(),
    amount: z.union([z.number().int().min(0), z.string().regex(/^\d+$/, "must be digits")]).optional(),
    card_id: z.string().min(1).optional(),
    stat: z.enum(["SUCCESS", "ERROR"]).optional(),
    url: httpUrl.optional(),
  })
  .superRefine((value, ctx) => {
    if ((value.partner_trans_id === undefined) === (value.card_id === undefined)) {
      ctx.addIssue({ code: "custom", path: ["partner_trans_id"], message: "give either partner_trans_id or card_id" })
    }
  })

const ROUTES: Route[] = [
  { method: "GET", pattern: /^$/, handle: (deps) => deps.describe() },
  {
    method: "GET",
    pattern: /^\/config$/,
    handle: (deps) => configView(deps),
  },
  {
    method: "POST",
    pattern: /^\/config$/,
    handle: async (deps, _m, body) => {
      const input = parse(configSchema, await body())
      if (input.notifyUrl !== undefined) {
        deps.runtime.notifyUrl = input.notifyUrl
      }
      if (input.cardNotifyUrl !== undefined) {
        deps.runtime.cardNotifyUrl = input.cardNotifyUrl
      }
      if (input.merchantApiUrl !== undefined) {
        deps.runtime.merchantApiUrl = input.merchantApiUrl
      }
      return configView(deps)
    },
  },
  {
    method: "GET",
    pattern: /^\/transactions$/,
    handle: (deps) => ({ transactions: deps.state.listTransactions().map((t) => serializeTransaction(deps, t)) }),
  },
  {
    method: "GET",
    pattern: /^\/transactions\/([^/]+)$/,
    handle: (deps, [id]) => {
      const transaction = deps.state.findTransaction(id)
      if (!transaction) {
        throw new ControlError(404, `no transaction with partner_trans_id "${id}"`)
      }
      return { transaction: serializeTransaction(deps, transaction) }
    },
  },
  {
    method: "GET",
    pattern: /^\/cards$/,
    handle: (deps) => ({ cards: deps.state.listCards().map((c) => serializeCard(deps, c)) }),
  },
  {
    method: "GET",
    pattern: /^\/cards\/([^/]+)$/,
    handle: (deps, [id]) => {
      const card = deps.state.findCard(id)
      if (!card) {
        throw new ControlError(404, `no card with card_id "${id}"`)
      }
      return { card: serializeCard(deps, card) }
    },
  },
  {
    method: "GET",
    pattern: /^\/calls$/,
    handle: (deps, _m, _b, query) => {
      const method = query.get("method")
      const calls = deps.calls.list().filter((c) => !method || c.method === method)
      return { total: deps.calls.list().length, counts: deps.calls.counts(), calls }
    },
  },
  {
    method: "POST",
    pattern: /^\/calls\/reset$/,
    handle: (deps) => {
      deps.calls.reset()
      return { ok: true }
    },
  },
  { method: "GET", pattern: /^\/faults$/, handle: (deps) => ({ faults: deps.faults.list() }) },
  {
    method: "POST",
    pattern: /^\/faults$/,
    handle: async (deps, _m, body) => ({ fault: deps.faults.add(parse(faultSchema, await body())) }),
  },
  { method: "DELETE", pattern: /^\/faults$/, handle: (deps) => ({ cleared: deps.faults.clear() }) },
  { method: "GET", pattern: /^\/callbacks$/, handle: (deps) => deps.notifier.describe() },
  {
    method: "POST",
    pattern: /^\/callbacks$/,
    handle: async (deps, _m, body) => {
      deps.notifier.setBehaviour(parse(callbackBehaviourSchema, await body()))
      return deps.notifier.describe()
    },
  },
  {
    method: "POST",
    pattern: /^\/callbacks\/flush$/,
    handle: async (deps, _m, body) => {
      const { order } = parse(flushSchema, await body())
      const delivered = await deps.notifier.flush(order)
      return { flushed: delivered.length, deliveries: delivered }
    },
  },
  {
    method: "GET",
    pattern: /^\/notifications$/,
    handle: (deps, _m, _b, query) => ({
      notifications: deps.notifier.list({
        partnerTransId: query.get("partner_trans_id") ?? undefined,
        cardId: query.get("card_id") ?? undefined,
        agrTransId: query.get("agr_trans_id") ?? undefined,
      }),
    }),
  },
  {
    method: "POST",
    pattern: /^\/notify$/,
    handle: async (deps, _m, body) => {
      const input = parse(notifySchema, await body())
      if (input.partner_trans_id !== undefined) {
        const transaction = deps.state.findTransaction(input.partner_trans_id)
        if (!transaction) {
          throw new ControlError(
            404,
            `no transaction with partner_trans_id "${input.partner_trans_id}"`,
            "partner_trans_id"
          )
        }
        const lastRefund = transaction.refunds[transaction.refunds.length - 1]
        const amount =
          input.amount !== undefined
            ? String(input.amount)
            : lastRefund && transaction.status === 6
              ? lastRefund.amount
              : transaction.amount
        const notification = statusNotificationBody(transaction, amount, input.status ?? transaction.status)
        const delivery = await deps.notifier.sendNow(
          "status",
          notification,
          { partnerTransId: transaction.partnerTransId },
          input.url
        )
        return { delivery }
      }
      const card = deps.state.findCard(input.card_id as string)
      if (!card) {
        throw new ControlError(404, `no card with card_id "${input.card_id}"`, "card_id")
      }
      if (input.stat === "SUCCESS" && !card.token) {
        throw new ControlError(
          409,
          "the card has no token (registration not completed): only stat ERROR can be sent",
          "stat"
        )
      }
      const delivery = await deps.notifier.sendNow(
        "card",
        cardNotifyBody(card, input.stat),
        { cardId: card.cardId },
        input.url
      )
      return { delivery }
    },
  },
  { method: "GET", pattern: /^\/clock$/, handle: (deps) => clockView(deps) },
  {
    method: "POST",
    pattern: /^\/clock$/,
    handle: async (deps, _m, body) => {
      deps.state.clock.advance(parse(clockSchema, await body()).advanceMs)
      return clockView(deps)
    },
  },
  {
    method: "POST",
    pattern: /^\/reset$/,
    handle: (deps) => {
      deps.state.reset()
      deps.formPayments.reset()
      deps.notifier.reset()
      deps.faults.clear()
      deps.calls.reset()
      deps.rateLimit?.reset()
      deps.state.clock.reset()
      return { ok: true }
    },
  },
  ...FORM_CONTROL_ROUTES,
]

/** Handles a request whose path starts with /__sandbox. */
export async function handleControl(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  deps: ControlDeps
): Promise<void> {
  const subPath = url.pathname.replace(/^\/__sandbox/, "").replace(/\/$/, "")
  const candidates = ROUTES.filter((route) => route.pattern.test(subPath))
  if (candidates.length === 0) {
    return sendJson(response, 404, { error: { message: `no control route ${url.pathname}` } })
  }
  const route = candidates.find((r) => r.method === request.method)
  if (!route) {
    response.setHeader("Allow", candidates.map((r) => r.method).join(", "))
    return sendJson(response, 405, { error: { message: `${request.method} is not allowed on ${url.pathname}` } })
  }
  const refused = writeRefusal(request)
  if (refused) {
    return sendJson(response, refused.status, { error: { field: refused.field ?? null, message: refused.message } })
  }
  const match = (route.pattern.exec(subPath) ?? []).slice(1).map((part) => decodeURIComponent(part))
  const body = async () => {
    let raw: string
    try {
      raw = await readBody(request, deps.maxBodyBytes)
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        throw new ControlError(413, error.message, "body")
      }
      throw error
    }
    if (raw.trim() === "") {
      return {}
    }
    try {
      return JSON.parse(raw) as unknown
    } catch {
      throw new ControlError(400, "the body is not JSON", "body")
    }
  }
  try {
    const result = await route.handle(deps, match, body, url.searchParams)
    sendJson(response, 200, result)
  } catch (error) {
    if (error instanceof ControlError) {
      return sendJson(response, error.status, { error: { field: error.field ?? null, message: error.message } })
    }
    throw error
  }
}

function configView(deps: ControlDeps) {
  const { notifyUrl, cardNotifyUrl, merchantApiUrl } = deps.runtime
  return { notifyUrl, cardNotifyUrl, merchantApiUrl }
}

function clockView(deps: ControlDeps) {
  return { now: new Date(deps.state.clock.now()).toISOString(), offset_ms: deps.state.clock.offsetMs }
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

export function serializeTransaction(deps: ControlDeps, t: Transaction) {
  return {
    transaction_id: t.transactionId,
    partner_trans_id: t.partnerTransId,
    kind: t.kind,
    status: t.status,
    amount: t.amount,
    currency: t.currency,
    description: t.description,
    vendor_id: t.vendorId,
    client_ip_addr: t.clientIp,
    redirect_url: t.redirectUrl,
    card: { masked: t.card.masked, brand: t.card.brand, behaviour: t.card.behaviour },
    card_id: t.cardId,
    confirm_url: t.threeDs?.confirmUrl ?? null,
    three_ds: t.threeDs
      ? { result: t.threeDsResult, used_at: iso(t.threeDs.usedAt) }
      : { result: t.threeDsResult, used_at: null },
    rrn: t.rrn,
    approval_code: t.approvalCode,
    bank_transaction_id: t.bankTransactionId,
    result_code: t.resultCode,
    err_obj: t.errObj,
    created_at: iso(t.createdAt),
    completed_at: iso(t.completedAt),
    canceled_at: iso(t.canceledAt),
    refunded_total: refundedTotal(t).toString(),
    refunds: t.refunds.map((r) => ({ amount: r.amount, at: iso(r.at) })),
    history: t.history.map((e) => ({ ...e, at: iso(e.at) })),
    notifications: deps.notifier.list({ partnerTransId: t.partnerTransId }),
  }
}

export function serializeCard(deps: ControlDeps, c: SavedCard) {
  return {
    card_id: c.cardId,
    account: c.account,
    status: c.status,
    card: { masked: c.card.masked, brand: c.card.brand, behaviour: c.card.behaviour, expires: c.card.expires },
    /** sandbox-only: PaySys never shows a token again after partner.notify */
    token: c.token,
    confirm_url: c.threeDs.confirmUrl,
    error: c.error,
    created_at: iso(c.createdAt),
    activated_at: iso(c.activatedAt),
    removed_at: iso(c.removedAt),
    history: c.history.map((e) => ({ ...e, at: iso(e.at) })),
    notifications: deps.notifier.list({ cardId: c.cardId }),
  }
}
