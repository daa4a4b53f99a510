import { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { concurrencyLimit } from "../workflows/concurrency-limit"
import { processPaysysNotification } from "../workflows/process-notification"

export const PAYSYS_NOTIFICATION_RECEIVED = "paysys.notification.received"

/**
 * How many notifications one server processes at once. One Node thread both answers PaySys and
 * processes: a burst processed all at once would starve the answers to the next callbacks.
 * Each is recorded before its answer, so one waiting here is never lost (the job retries it).
 */
export const NOTIFICATION_PROCESSING_CONCURRENCY = 4

const processing = concurrencyLimit(NOTIFICATION_PROCESSING_CONCURRENCY)

/** Processes a PaySys callback once /hooks/paysys has recorded it. */
export default async function paysysNotificationReceived({ event, container }: SubscriberArgs<{ id: string }>) {
  await processing(() => processPaysysNotification(container, event.data.id))
}

export const config: SubscriberConfig = {
  event: PAYSYS_NOTIFICATION_RECEIVED,
  context: { subscriberId: "paysys-notification-received" },
}
