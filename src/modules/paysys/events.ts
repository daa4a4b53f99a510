/** Emitted when a PaySys callback is recorded; its subscriber processes the notification. */
export const PAYSYS_NOTIFICATION_RECEIVED = "paysys.notification.received"
