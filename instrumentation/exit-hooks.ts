/**
 * Flushing at exit: on `beforeExit` (the event loop ran dry) and on SIGTERM/SIGINT, each wait
 * bounded so a collector that is down or slow never holds the process. `process.exit()` and
 * uncaught exceptions end the process synchronously: nothing can be flushed then.
 */

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Runs `shutdown` once at exit. After `timeoutMs` it calls `onTimeout`, and on `beforeExit` the
 * process exits anyway (with its exit code). A signal is raised again once we are done, unless
 * the app listens for it itself, so the default behaviour (exit by the signal) is kept.
 * Returns a function that uninstalls the hooks.
 */
export function installExitHooks(shutdown: () => Promise<void>, timeoutMs: number, onTimeout: () => void): () => void {
  let started = false;

  const uninstall = (): void => {
    process.off('beforeExit', onBeforeExit);
    for (const signal of SIGNALS) process.off(signal, onSignal);
  };

  const run = (afterwards: (timedOut: boolean) => void): void => {
    if (started) return;
    started = true;
    uninstall();
    let done = false;
    const finish = (timedOut: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (timedOut) onTimeout();
      afterwards(timedOut);
    };
    const timer = setTimeout(() => finish(true), timeoutMs);
    void shutdown().then(
      () => finish(false),
      () => finish(false),
    );
  };

  function onBeforeExit(): void {
    // Exiting is what the process was doing; pending export retries must not keep it alive.
    run((timedOut) => {
      if (timedOut) process.exit();
    });
  }

  function onSignal(signal: NodeJS.Signals): void {
    run(() => {
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }

  process.on('beforeExit', onBeforeExit);
  for (const signal of SIGNALS) process.on(signal, onSignal);
  return uninstall;
}
