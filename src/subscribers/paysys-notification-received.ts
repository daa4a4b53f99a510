import { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { processPaysysNotification } from "../workflows/process-notification"

export const PAYSYS_NOTIFICATION_RECEIVED = "paysys.notification.received"

/** Processes a PaySys callback once /hooks/paysys has recorded it. */
export default async function paysysNotificationReceived({ event, container }: SubscriberArgs<{ id: string }>) {
  await processPaysysNotification(container, event.data.id)
}

export const config: SubscriberConfig = {
  event: PAYSYS_NOTIFICATION_RECEIVED,
  context: { subscriberId: "paysys-notification-received" },
}
