/**
 * Runs tasks one after another per key: a task waits for every earlier task sharing one of its
 * keys. The ingestion route folds an observation's events onto what is stored and writes the
 * result; two requests folding the same observation at once would each miss the other's events,
 * so they take turns (in this process; collectors sharing a database do not coordinate).
 * Deadlock-free: a task waits only for tasks that started before it. Keys are dropped when idle.
 */
export type KeyedSerializer = <T>(keys: readonly string[], task: () => Promise<T>) => Promise<T>;

export function createKeyedSerializer(): KeyedSerializer {
  const tails = new Map<string, Promise<void>>();
  return async (keys, task) => {
    const earlier = keys.flatMap((key) => tails.get(key) ?? []);
    let release!: () => void;
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    for (const key of keys) tails.set(key, done);
    try {
      await Promise.all(earlier);
      return await task();
    } finally {
      release();
      for (const key of keys) if (tails.get(key) === done) tails.delete(key);
    }
  };
}
