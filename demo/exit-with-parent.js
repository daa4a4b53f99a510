/*
 * Preloaded (`node -r`) into the Medusa processes the demo starts. They run in a process
 * group of their own so that Ctrl-C reaches the demo first and the demo stops them in order
 * (Medusa, then PostgreSQL). If the demo itself dies, its IPC channel closes: stop too
 * (`medusa start` shuts down gracefully on SIGTERM).
 */
process.on("disconnect", () => process.kill(process.pid, "SIGTERM"))
// listening keeps the channel referenced; don't let it keep a finished command alive
setImmediate(() => process.channel && process.channel.unref())
