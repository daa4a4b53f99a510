import http from "node:http"
import https from "node:https"
import { z } from "zod"
import { SandboxLogger } from "./options"

/*
 * Delivers the callbacks to the merchant, asynchronously (never inside a gateway answer), one
 * at a time in the order they were queued, and logs every delivery: url, body, HTTP status, time.
 * The form's Pay, Cancel, Info, Statement and Fiscalization are sent at once (`sendNow`) and
 * answered; only its Notify is queued, so behaviours apply to it.
 * PaySys documents no retries, so there are none.
 *
 * Behaviours, set through the control API, apply to the next `count` callbacks (all until reset
 * when no count is given), of one kind or of any:
 *   normal     deliver
 *   drop       log it, never send it
 *   duplicate  send `copies` identical requests
 *   delay      send after `delayMs`
 *   hold       keep it until `flush`, which delivers the held ones in `fifo` or `reverse` order
 */

/** The host-to-host API's two callbacks, and the form's merchant-API calls. */
export const FORM_CALLBACK_KINDS = [
  "form_info",
  "form_pay",
  "form_notify",
  "form_cancel",
  "form_statement",
  "form_fiscalization",
] as const
export type FormCallbackKind = (typeof FORM_CALLBACK_KINDS)[number]
export type CallbackKind = "status" | "card" | FormCallbackKind

export const callbackBehaviourSchema = z.strictObject({
  mode: z.enum(["normal", "drop", "duplicate", "delay", "hold"]),
  /** how many callbacks it applies to; omitted = all until the next behaviour or reset */
  count: z.number().int().min(1).optional(),
  /** which callbacks it applies to: "form" is the form's Notify (its other calls are answered at once) */
  kind: z.enum(["status", "card", "form", "any"]).default("any"),
  /** duplicate: how many identical requests in all */
  copies: z.number().int().min(2).max(20).default(2),
  /** delay: milliseconds */
  delayMs: z.number().int().min(0).max(600_000).default(1000),
})

export type CallbackBehaviour = z.output<typeof callbackBehaviourSchema>

export const flushSchema = z.strictObject({ order: z.enum(["fifo", "reverse"]).default("fifo") })

export type DeliveryState =
  | "queued"
  | "held"
  | "delayed"
  | "sending"
  | "delivered" // 2xx
  | "failed" // not 2xx, or no answer
  | "dropped" // by the drop behaviour
  | "skipped" // no URL configured

export type DeliveryRecord = {
  seq: number
  kind: CallbackKind
  url: string | null
  body: unknown
  /** the payment or card it is about */
  partner_trans_id: string | null
  card_id: string | null
  /** a form payment's AGR_TRANS_ID */
  agr_trans_id: string | null
  /** the behaviour that applied, or "direct" for POST /__sandbox/notify */
  behaviour: CallbackBehaviour["mode"] | "direct"
  /** 1..copies for duplicates */
  copy: number
  state: DeliveryState
  http_status: number | null
  /** the merchant answered 2xx with {"error": null} (form calls: {"ERROR": 0}) */
  acknowledged: boolean
  response_body: string | null
  error: string | null
  queued_at: string
  sent_at: string | null
  duration_ms: number | null
}

export type CallbackRef = { partnerTransId?: string; cardId?: string; agrTransId?: string }

/** Where one kind of callback goes; the URL is read at each delivery (the control API changes it). */
export type CallbackTarget = {
  url: () => string | null
  /** named in the log when no URL is set */
  urlOption: string
  headers?: Record<string, string>
}

export type NotifierConfig = {
  targets: Record<CallbackKind, CallbackTarget>
  timeoutMs: number
  logger?: SandboxLogger
}

const RESPONSE_KEEP_CHARS = 2000

export class Notifier {
  private readonly records: DeliveryRecord[] = []
  private held: DeliveryRecord[] = []
  private behaviour: CallbackBehaviour & { remaining: number | null } = normalBehaviour()
  private chain: Promise<void> = Promise.resolve()
  private readonly timers = new Set<NodeJS.Timeout>()
  private readonly inFlight = new Set<http.ClientRequest>()
  private seq = 0
  private closed = false

  constructor(private readonly config: NotifierConfig) {}

  /** Queues a callback; it leaves later, as the current behaviour says. */
  enqueue(kind: CallbackKind, body: unknown, ref: CallbackRef): DeliveryRecord[] {
    if (this.closed) {
      return []
    }
    const url = this.urlFor(kind)
    const behaviour = this.take(kind)
    if (!url) {
      const record = this.newRecord(kind, null, body, ref, behaviour.mode, 1, "skipped")
      record.error = `no ${this.config.targets[kind].urlOption} configured`
      this.log(record)
      return [record]
    }
    switch (behaviour.mode) {
      case "drop": {
        const record = this.newRecord(kind, url, body, ref, "drop", 1, "dropped")
        this.log(record)
        return [record]
      }
      case "hold": {
        const record = this.newRecord(kind, url, body, ref, "hold", 1, "held")
        this.held.push(record)
        return [record]
      }
      case "delay": {
        const record = this.newRecord(kind, url, body, ref, "delay", 1, "delayed")
        const timer = setTimeout(() => {
          this.timers.delete(timer)
          this.schedule(record)
        }, behaviour.delayMs)
        this.timers.add(timer)
        return [record]
      }
      case "duplicate": {
        const copies = Array.from({ length: behaviour.copies }, (_, i) =>
          this.newRecord(kind, url, body, ref, "duplicate", i + 1, "queued")
        )
        copies.forEach((record) => this.schedule(record))
        return copies
      }
      default: {
        const record = this.newRecord(kind, url, body, ref, "normal", 1, "queued")
        this.schedule(record)
        return [record]
      }
    }
  }

  /** Sends one callback now, whatever the behaviour (POST /__sandbox/notify), and waits for the answer. */
  async sendNow(kind: CallbackKind, body: unknown, ref: CallbackRef, url?: string): Promise<DeliveryRecord> {
    const target = url ?? this.urlFor(kind)
    const record = this.newRecord(kind, target, body, ref, "direct", 1, target ? "queued" : "skipped")
    if (!target) {
      record.error = `no ${this.config.targets[kind].urlOption} configured`
      return record
    }
    await this.deliver(record)
    return record
  }

  setBehaviour(behaviour: CallbackBehaviour): void {
    this.behaviour = { ...behaviour, remaining: behaviour.mode === "normal" ? null : (behaviour.count ?? null) }
  }

  describe() {
    const { remaining, ...behaviour } = this.behaviour
    return { behaviour: { ...behaviour, remaining }, held: this.held.length }
  }

  /** Delivers the held callbacks, one after the other, and resolves once all were answered. */
  async flush(order: "fifo" | "reverse"): Promise<DeliveryRecord[]> {
    const batch = order === "reverse" ? [...this.held].reverse() : [...this.held]
    this.held = []
    await this.chain
    for (const record of batch) {
      record.state = "queued"
      await this.deliver(record)
    }
    return batch
  }

  list(filter: CallbackRef = {}): DeliveryRecord[] {
    return this.records.filter(
      (r) =>
        (filter.partnerTransId === undefined || r.partner_trans_id === filter.partnerTransId) &&
        (filter.cardId === undefined || r.card_id === filter.cardId) &&
        (filter.agrTransId === undefined || r.agr_trans_id === filter.agrTransId)
    )
  }

  reset(): void {
    this.clearTimers()
    this.records.length = 0
    this.held = []
    this.behaviour = normalBehaviour()
  }

  close(): void {
    this.closed = true
    this.clearTimers()
    for (const request of this.inFlight) {
      request.destroy(new Error("sandbox closed"))
    }
  }

  // ---- internals ------------------------------------------------------------------------

  private urlFor(kind: CallbackKind): string | null {
    return this.config.targets[kind].url()
  }

  /** The behaviour for the next callback of this kind; counts it down. */
  private take(kind: CallbackKind): CallbackBehaviour {
    const current = this.behaviour
    const applies =
      current.kind === "any" || current.kind === kind || (current.kind === "form" && kind === "form_notify")
    if (current.mode === "normal" || !applies) {
      return normalBehaviour()
    }
    if (current.remaining !== null) {
      current.remaining -= 1
      if (current.remaining <= 0) {
        this.behaviour = normalBehaviour()
      }
    }
    return current
  }

  private schedule(record: DeliveryRecord): void {
    record.state = "queued"
    this.chain = this.chain.then(
      () =>
        new Promise<void>((resolve) => {
          // always a later turn of the event loop: never inside a gateway answer
          setImmediate(() => {
            if (this.closed) {
              return resolve()
            }
            this.deliver(record).then(resolve, resolve)
          })
        })
    )
  }

  private newRecord(
    kind: CallbackKind,
    url: string | null,
    body: unknown,
    ref: CallbackRef,
    behaviour: DeliveryRecord["behaviour"],
    copy: number,
    state: DeliveryState
  ): DeliveryRecord {
    const record: DeliveryRecord = {
      seq: ++this.seq,
      kind,
      url,
      body,
      partner_trans_id: ref.partnerTransId ?? null,
      card_id: ref.cardId ?? null,
      agr_trans_id: ref.agrTransId ?? null,
      behaviour,
      copy,
      state,
      http_status: null,
      acknowledged: false,
      response_body: null,
      error: null,
      queued_at: new Date().toISOString(),
      sent_at: null,
      duration_ms: null,
    }
    this.records.push(record)
    return record
  }

  private deliver(record: DeliveryRecord): Promise<void> {
    const url = record.url as string
    const payload = JSON.stringify(record.body)
    const headers: Record<string, string | number> = {
      "Content-Type": "application/json",
      "Content-Length": Buffer.byteLength(payload),
      ...this.config.targets[record.kind].headers,
    }
    record.state = "sending"
    record.sent_at = new Date().toISOString()
    const startedAt = Date.now()
    return new Promise<void>((resolve) => {
      let done = false
      const finish = (update: Partial<DeliveryRecord>) => {
        if (done) {
          return
        }
        done = true
        Object.assign(record, update, { duration_ms: Date.now() - startedAt })
        this.log(record)
        resolve()
      }
      let request: http.ClientRequest
      try {
        const target = new URL(url)
        const transport = target.protocol === "https:" ? https : http
        request = transport.request(target, { method: "POST", headers, agent: false })
      } catch (error) {
        return finish({ state: "failed", error: (error as Error).message })
      }
      this.inFlight.add(request)
      request.setTimeout(this.config.timeoutMs, () =>
        request.destroy(new Error(`no answer in ${this.config.timeoutMs} ms`))
      )
      request.on("response", (response) => {
        const chunks: Buffer[] = []
        response.on("data", (chunk: Buffer) => chunks.push(chunk))
        response.on("error", (error) => {
          this.inFlight.delete(request)
          finish({ state: "failed", http_status: response.statusCode ?? null, error: error.message })
        })
        response.on("end", () => {
          this.inFlight.delete(request)
          const text = Buffer.concat(chunks).toString("utf8")
          const status = response.statusCode ?? 0
          const ok = status >= 200 && status < 300
          finish({
            state: ok ? "delivered" : "failed",
            http_status: status,
            acknowledged: ok && isAck(record.kind, text),
            response_body: text.slice(0, RESPONSE_KEEP_CHARS),
          })
        })
      })
      request.on("error", (error) => {
        this.inFlight.delete(request)
        finish({ state: "failed", error: error.message })
      })
      request.end(payload)
    })
  }

  private log(record: DeliveryRecord): void {
    const about = record.agr_trans_id
      ? `AGR_TRANS_ID=${record.agr_trans_id}`
      : record.partner_trans_id
        ? `account=${record.partner_trans_id} status=${(record.body as { status?: unknown }).status}`
        : `card_id=${record.card_id}`
    const outcome = record.http_status !== null ? `HTTP ${record.http_status}` : (record.error ?? record.state)
    this.config.logger?.info(
      `callback ${record.kind} ${about} -> ${record.url ?? "(no url)"}: ${record.state} (${outcome})`
    )
  }

  private clearTimers(): void {
    for (const timer of this.timers) {
      clearTimeout(timer)
    }
    this.timers.clear()
  }
}

function normalBehaviour(): CallbackBehaviour & { remaining: null } {
  return { mode: "normal", kind: "any", copies: 2, delayMs: 1000, remaining: null }
}

function isAck(kind: CallbackKind, text: string): boolean {
  try {
    const parsed = JSON.parse(text) as { error?: unknown; ERROR?: unknown }
    if (parsed === null || typeof parsed !== "object") {
      return false
    }
    return kind.startsWith("form_") ? parsed.ERROR === 0 : parsed.error === null
  } catch {
    return false
  }
}
