import { performance } from "node:perf_hooks"
import { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { PAYSYS_MODULE, PaysysModuleService } from "../modules/paysys"
import { PAYSYS_NOTIFICATION_RECEIVED } from "../modules/paysys/events"
import { concurrencyLimit } from "../workflows/concurrency-limit"
import { processPaysysNotification } from "../workflows/process-notification"

/**
 * How many notifications one server processes at once. One Node thread both answers PaySys and
 * processes: a burst processed all at once would starve the answers to the next callbacks.
 * Each is recorded before its answer, so one waiting here is never lost (the job retries it).
 */
export const NOTIFICATION_PROCESSING_CONCURRENCY = 4

/**
 * Processing starts once no notification has come to this server for this long: during a burst
 * the answers go first (PaySys waits on them; processing can wait), as Medusa's stock webhook
 * route does with its fixed 5 s delay, while a lone notification is processed almost at once.
 */
export const NOTIFICATION_QUIET_MS = 100

/** ...but a notification waits for a quiet moment at most this long, like Medusa's webhook_delay. */
export const NOTIFICATION_MAX_PROCESSING_DELAY_MS = 5_000

const processing = concurrencyLimit(NOTIFICATION_PROCESSING_CONCURRENCY)

/** Processes a PaySys callback once /hooks/paysys has recorded it. */
export default async function paysysNotificationReceived({ event, container }: SubscriberArgs<{ id: string }>) {
  const latest = performance.now() + NOTIFICATION_MAX_PROCESSING_DELAY_MS
  const paysys = container.resolve<PaysysModuleService>(PAYSYS_MODULE)
  await processing(async () => {
    // a server shutting down leaves it recorded for the job, which processes it on any server;
    // it does not wait for a quiet moment first, which would hold the shutdown up to 5 s
    if (!paysys.stopping) {
      await paysys.notificationsQuiet(NOTIFICATION_QUIET_MS, latest)
    }
    return paysys.stopping ? null : processPaysysNotification(container, event.data.id)
  })
}

export const config: SubscriberConfig = {
  event: PAYSYS_NOTIFICATION_RECEIVED,
  context: { subscriberId: "paysys-notification-received" },
}
