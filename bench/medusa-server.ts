/**
 * The benchmark's Medusa server: this repository booted as a Medusa app (its medusa-config.ts)
 * in a process of its own, as integration-tests/helpers/medusa-instance-main.ts does, so the
 * fault drill can SIGKILL it and start it again. It also answers a few commands from the
 * benchmark over the IPC channel, run with this server's own container (its locks, its event
 * bus, its PaySys client), so nothing runs in a second Medusa that would not share them:
 *
 *   seed             seedStore(container): the store the integration tests use
 *   reconcile        the reconciliation job's default export, once (see below)
 *   reconcile-profiled  the same, with the time spent in each PaySys call, ledger query and
 *                    Payment Module call summed by name (where a run's time goes)
 *   overhead         provider overhead: authorizePayment through the Payment Module's provider
 *                    registry vs a bare signed check_payment, interleaved
 *   authorize        paymentModule.authorizePaymentSession on sessions paid at PaySys, timed
 *   heap             the heap in use, and since boot what garbage collection freed and the major
 *                    collections (count, pause time)
 *
 * The job's every-minute schedule is removed once the server is up: the benchmark runs the job
 * itself (`reconcile`), so a scheduled run can neither take the job's lock from a measured run
 * nor settle attempts behind its back. The server runs with PAYSYS_RECONCILE_AFTER_SECONDS=1, so
 * an attempt is due a second after it was made. `reconcile` may run the job with another
 * `reconcileConcurrency` (a container whose PaySys module reports it); the code is the job's own.
 */
import express from "express"
import http from "node:http"
import path from "node:path"
import { performance } from "node:perf_hooks"
import { randomUUID } from "node:crypto"
import v8 from "node:v8"
import { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { WorkflowScheduler } from "@medusajs/framework/orchestration"
import reconcilePaysysPayments, { config as jobConfig } from "../src/jobs/reconcile-paysys-payments"
import { PAYSYS_MODULE, PaysysModuleService } from "../src/modules/paysys"
import { signAuthHeader } from "../src/paysys"
import { seedStore } from "../scripts/seed-store"

export type ServerCommand =
  | { cmd: "seed" }
  | { cmd: "reconcile"; concurrency?: number; callsPerMinute?: number }
  | { cmd: "reconcile-profiled"; concurrency?: number }
  | { cmd: "overhead"; sessionId: string; calls: number; warmup: number }
  | { cmd: "authorize"; sessionIds: string[] }
  | { cmd: "heap" }

export type HeapState = { usedMb: number; collectedMb: number; majorCollections: number; majorPauseMs: number }

export type OverheadResult = { provider_ms: number[]; bare_ms: number[]; status: string }

async function main() {
  const directory = path.resolve(__dirname, "..")
  const app = express()
  const loaders = require("@medusajs/medusa/loaders/index").default
  const { container, shutdown } = (await loaders({ directory, expressApp: app })) as {
    container: MedusaContainer
    shutdown: () => Promise<void>
  }
  // the job loader names a job's workflow `job-<name>`
  await new WorkflowScheduler().clearWorkflow({ id: `job-${jobConfig.name}` } as never)
  const port = Number(process.env.PORT)
  const server = app.listen(port, () => {
    console.log(`listening ${port}`)
    process.send?.({ type: "listening", port })
  })
  // the benchmark's keep-alive client may reuse a socket after a pause of a few seconds; Node's
  // 5 s default would close it under the request ("socket hang up")
  server.keepAliveTimeout = 60_000
  server.headersTimeout = 61_000
  const stop = () => {
    server.close(() => shutdown().finally(() => process.exit(0)))
    server.closeAllConnections()
  }
  process.on("SIGTERM", stop)
  process.on("SIGINT", stop)
  // the benchmark went away (killed, crashed): do not outlive it
  process.on("disconnect", () => process.exit(0))

  process.on("message", (message: { id: string; command: ServerCommand }) => {
    run(container, message.command).then(
      (value) => process.send?.({ type: "result", id: message.id, ok: true, value }),
      (error: Error) =>
        process.send?.({ type: "result", id: message.id, ok: false, error: error?.stack ?? String(error) })
    )
  })
}

async function run(container: MedusaContainer, command: ServerCommand): Promise<unknown> {
  switch (command.cmd) {
    case "seed":
      return seedStore(container)
    case "reconcile": {
      const startedAt = performance.now()
      const cpu = process.cpuUsage()
      const result = await reconcilePaysysPayments(
        withOptions(container, {
          reconcileConcurrency: command.concurrency,
          backgroundCallsPerMinute: command.callsPerMinute,
        })
      )
      const used = process.cpuUsage(cpu)
      return { ...result, ms: performance.now() - startedAt, cpuMs: (used.user + used.system) / 1000 }
    }
    case "reconcile-profiled": {
      const parts: Parts = {}
      const startedAt = performance.now()
      const cpu = process.cpuUsage()
      const result = await reconcilePaysysPayments(
        profiled(withOptions(container, { reconcileConcurrency: command.concurrency }), parts)
      )
      const used = process.cpuUsage(cpu)
      return { ...result, ms: performance.now() - startedAt, cpuMs: (used.user + used.system) / 1000, parts }
    }
    case "overhead":
      return overhead(container, command)
    case "authorize":
      return authorizeSessions(container, command.sessionIds)
    case "heap":
      return heapState()
  }
}

/**
 * The server's garbage collections, from V8's GC profiler: read and restarted on every `heap`
 * command, the totals kept since boot. What a collection freed, added to the heap's growth, is
 * what was allocated meanwhile.
 */
const collected = { bytes: 0, majorCollections: 0, majorPauseMs: 0 }
let profiler = new v8.GCProfiler()
profiler.start()

function heapState(): HeapState {
  for (const gc of profiler.stop()?.statistics ?? []) {
    collected.bytes += gc.beforeGC.heapStatistics.usedHeapSize - gc.afterGC.heapStatistics.usedHeapSize
    if (gc.gcType === "MarkSweepCompact") {
      collected.majorCollections++
      collected.majorPauseMs += gc.cost / 1000
    }
  }
  profiler = new v8.GCProfiler()
  profiler.start()
  return {
    usedMb: v8.getHeapStatistics().used_heap_size / 2 ** 20,
    collectedMb: collected.bytes / 2 ** 20,
    majorCollections: collected.majorCollections,
    majorPauseMs: collected.majorPauseMs,
  }
}

/** The same container, whose PaySys module answers other options (`reconcileConcurrency`, `backgroundCallsPerMinute`) where given. */
function withOptions(container: MedusaContainer, overrides: Partial<PaysysModuleService["options"]>): MedusaContainer {
  const given = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined))
  if (!Object.keys(given).length) {
    return container
  }
  const paysys = container.resolve<PaysysModuleService>(PAYSYS_MODULE)
  const view = Object.create(paysys, {
    options: { value: { ...paysys.options, ...given } },
    // the module keeps the budget it built from its own options: this view builds its own from these
    callBudget_: { value: undefined, writable: true },
  })
  return Object.create(container, {
    resolve: {
      value: (key: string, options?: unknown) =>
        key === PAYSYS_MODULE ? view : (container.resolve as any)(key, options),
    },
  })
}

export type Parts = Record<string, { calls: number; ms: number; cpuMs: number }>

/**
 * The same container, timing every method called on the PaySys module's client and ledger and
 * on the Payment Module (the calls settling makes), summed per method into `parts`. Nothing
 * else changes: the job and settling run as they are.
 */
function profiled(container: MedusaContainer, parts: Parts): MedusaContainer {
  const timed = <T extends object>(target: T, prefix: string): T =>
    new Proxy(target, {
      get(object, key) {
        const value = Reflect.get(object, key)
        if (typeof value !== "function" || typeof key !== "string") {
          return value
        }
        // every method timed here is asynchronous (a ledger query is a knex builder: awaited, it runs)
        return async (...args: unknown[]) => {
          const part = (parts[`${prefix}.${key}`] ??= { calls: 0, ms: 0, cpuMs: 0 })
          part.calls++
          const startedAt = performance.now()
          // the server's CPU time meanwhile: the call's own when the job runs one attempt at a time
          const cpu = process.cpuUsage()
          try {
            return await value.apply(object, args)
          } finally {
            part.ms += performance.now() - startedAt
            const used = process.cpuUsage(cpu)
            part.cpuMs += (used.user + used.system) / 1000
          }
        }
      },
    })
  const paysys = container.resolve<PaysysModuleService>(PAYSYS_MODULE)
  const view = Object.create(paysys, {
    client: { value: timed(paysys.cardGateway().client, "paysys") },
    ledger: { value: timed(paysys.ledger, "ledger") },
  })
  const payment = timed(container.resolve(Modules.PAYMENT), "payment module")
  return Object.create(container, {
    resolve: {
      value: (key: string, options?: unknown) =>
        key === PAYSYS_MODULE ? view : key === Modules.PAYMENT ? payment : (container.resolve as any)(key, options),
    },
  })
}

/**
 * A: what Medusa's Payment Module runs when it authorizes a session (authorizePaymentSession
 * calls exactly this: the provider, looked up in the module's provider registry, with the
 * session's data), on a session whose payment is completed at PaySys. For a card session it is
 * one check_payment plus the plugin's work around it (option and data parsing, signing, the
 * typed client, mapping the answer). It writes nothing, so it can be repeated on one session.
 * B: the same check_payment as a bare signed POST (keep-alive agent, JSON.parse, nothing else).
 * A and B alternate call by call, so noise from the rest of the machine hits both alike.
 */
async function overhead(
  container: MedusaContainer,
  { sessionId, calls, warmup }: Extract<ServerCommand, { cmd: "overhead" }>
) {
  const paymentModule = container.resolve(Modules.PAYMENT)
  const paysys = container.resolve<PaysysModuleService>(PAYSYS_MODULE)
  const session = await paymentModule.retrievePaymentSession(sessionId, { select: ["id", "provider_id", "data"] })
  const providers = (paymentModule as any).paymentProviderService_ as {
    authorizePayment(providerId: string, input: unknown): Promise<{ status: string }>
  }
  const { gatewayUrl, serviceId, secretKey } = paysys.cardGateway().options
  const partnerTransId = String(session.data?.partner_trans_id)
  const agent = new http.Agent({ keepAlive: true })
  const bare = () =>
    new Promise<number>((resolve, reject) => {
      const body = JSON.stringify({
        method: "paysys.check_payment",
        params: { partner_trans_id: partnerTransId },
        id: randomUUID(),
      })
      const request = http.request(gatewayUrl, {
        method: "POST",
        agent,
        headers: {
          "Content-Type": "application/json",
          "Content-Length": Buffer.byteLength(body),
          Auth: signAuthHeader(serviceId, secretKey),
        },
      })
      request.on("response", (response) => {
        let text = ""
        response.setEncoding("utf8")
        response.on("data", (chunk: string) => (text += chunk))
        response.on("end", () => {
          const parsed = JSON.parse(text)
          if (parsed.error) reject(new Error(JSON.stringify(parsed.error)))
          else resolve(Number(parsed.result.status))
        })
      })
      request.on("error", reject)
      request.end(body)
    })
  const viaMedusa = () =>
    providers.authorizePayment(session.provider_id, { data: session.data, context: { idempotency_key: session.id } })

  const providerMs: number[] = []
  const bareMs: number[] = []
  let status = ""
  for (let i = 0; i < warmup + calls; i++) {
    const a = performance.now()
    status = (await viaMedusa()).status
    const b = performance.now()
    await bare()
    const c = performance.now()
    if (i >= warmup) {
      providerMs.push(b - a)
      bareMs.push(c - b)
    }
  }
  agent.destroy()
  return { provider_ms: providerMs, bare_ms: bareMs, status } satisfies OverheadResult
}

/** The whole first authorization of sessions paid at PaySys: provider + payment + capture rows. */
async function authorizeSessions(container: MedusaContainer, sessionIds: string[]) {
  const paymentModule = container.resolve(Modules.PAYMENT)
  const ms: number[] = []
  for (const id of sessionIds) {
    const startedAt = performance.now()
    await paymentModule.authorizePaymentSession(id, {})
    ms.push(performance.now() - startedAt)
  }
  return { ms }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
