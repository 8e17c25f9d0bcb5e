/**
 * WAL checkpoints on a worker thread, off the event loop.
 *
 * A checkpoint copies the pages committed to the WAL into the database file. A worker with its
 * own connection runs a PASSIVE checkpoint after each group commit (`afterCommit`), and every
 * CHECKPOINT_INTERVAL_MS for the API's own small writes: they take no lock the writer waits for.
 * The WAL file starts over from its beginning only when a write transaction begins with every
 * frame already copied, which never happens by itself under steady load: the
 * next group commit begins as soon as the last one ends. So once the WAL holds `restartFrames`
 * frames, the worker asks the writer to wait (`beforeCommit`) until it has copied the rest; the
 * next commit then starts the WAL over. The writer waits on a promise, not on a lock: the event
 * loop goes on decoding and mapping requests meanwhile, and the copy stays on the worker.
 *
 * Before, the writer's own checkpoint at the threshold copied the last commits on the event
 * loop: a tenth of the whole process's CPU samples at a million spans. The writer keeps its
 * own checkpoint as a backstop, at a threshold the worker keeps the WAL below while it works.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const CHECKPOINT_INTERVAL_MS = 200;
/** While the writer is asked to wait, the worker copies again this soon. */
const DRAIN_INTERVAL_MS = 5;
/** A writer never waits longer for the worker; the backstop checkpoint still bounds the WAL. */
const MAX_WAIT_MS = 10_000;

export interface WalCheckpointer {
  /** Resolves when the writer may commit: at once, but while the worker copies the WAL's rest to start it over. */
  beforeCommit(): Promise<void>;
  /** Tells the worker there is something new to copy. */
  afterCommit(): void;
  /** Stops the worker after any checkpoint in progress; the writer's own checkpoints go on. */
  stop(): Promise<void>;
}

/** What the worker reports after each checkpoint. */
interface CheckpointStatus {
  frames: number;
  copied: number;
  /** The number of commits the writer had told of when this checkpoint started. */
  commits: number;
}

/**
 * Plain JavaScript run with `eval`, so the worker needs no file of its own next to the compiled
 * module (under vitest the collector runs from TypeScript sources, which a worker cannot load).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driverPath);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = ' + workerData.synchronous);
let timer = null;
let stopped = false;
let commits = 0;
function checkpoint() {
  timer = null;
  if (stopped) return;
  const seen = commits;
  const [{ log, checkpointed }] = db.pragma('wal_checkpoint(PASSIVE)');
  const pastThreshold = log >= workerData.restartFrames;
  parentPort.postMessage({ frames: log, copied: checkpointed, commits: seen });
  timer = setTimeout(checkpoint, pastThreshold && checkpointed < log ? workerData.drainIntervalMs : workerData.intervalMs);
}
checkpoint();
let soon = null;
parentPort.on('message', (message) => {
  if (typeof message === 'number') {
    // Commits told in a row are copied by one checkpoint.
    commits = message;
    soon ??= setImmediate(() => {
      soon = null;
      if (timer !== null) clearTimeout(timer);
      checkpoint();
    });
    return;
  }
  stopped = true;
  if (timer !== null) clearTimeout(timer);
  if (soon !== null) clearImmediate(soon);
  db.close();
  parentPort.close();
});
`;

/**
 * @param restartFrames WAL frames past which the writer waits for a complete copy
 * @param onFailure told if the worker fails; the writer's own checkpoints still bound the WAL
 */
export function startWalCheckpointer(
  file: string,
  synchronous: 'FULL' | 'NORMAL',
  restartFrames: number,
  onFailure: (error: Error) => void,
): WalCheckpointer {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      driverPath: createRequire(import.meta.url).resolve('better-sqlite3'),
      file,
      synchronous,
      restartFrames,
      intervalMs: CHECKPOINT_INTERVAL_MS,
      drainIntervalMs: DRAIN_INTERVAL_MS,
    },
  });
  // Not a reason to keep the process alive, until close() waits for it.
  worker.unref();
  let running = true;
  let commits = 0;
  /** The WAL is past the threshold: the next commit waits for a complete copy, so it starts the WAL over. */
  let restartDue = false;
  let lastStatus: CheckpointStatus | null = null;
  /** Statuses of checkpoints begun before this commit describe the WAL before it started over. */
  let restartCommit = 0;
  let wait: { promise: Promise<void>; release: () => void } | null = null;
  const release = () => {
    wait?.release();
    wait = null;
  };
  /** Everything the writer committed is in the database file. */
  const allCopied = (status: CheckpointStatus | null) => status !== null && status.copied === status.frames && status.commits === commits;
  worker.on('message', (status: CheckpointStatus) => {
    lastStatus = status;
    if (status.frames >= restartFrames && status.commits >= restartCommit) restartDue = true;
    if (wait !== null && allCopied(status)) {
      restartCommit = commits + 1;
      release();
    }
  });
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      release();
      resolve();
    }),
  );
  worker.once('error', (error) => {
    release();
    if (!running) return;
    running = false;
    onFailure(new Error(`database ${file}: the background WAL checkpoint stopped (${error.message}); commits checkpoint alone`, { cause: error }));
  });
  return {
    beforeCommit() {
      if (!restartDue || !running) return Promise.resolve();
      restartDue = false;
      if (allCopied(lastStatus)) {
        restartCommit = commits + 1;
        return Promise.resolve();
      }
      let releaseWait!: () => void;
      const promise = new Promise<void>((resolve) => {
        releaseWait = resolve;
      });
      const timeout = setTimeout(release, MAX_WAIT_MS).unref();
      wait = {
        promise,
        release: () => {
          clearTimeout(timeout);
          releaseWait();
        },
      };
      return promise;
    },
    afterCommit() {
      if (!running) return;
      commits++;
      worker.postMessage(commits);
    },
    async stop() {
      if (running) {
        running = false;
        release();
        // Held open until it has exited: unreferenced, it would let the process end mid-close.
        worker.ref();
        worker.postMessage('stop');
      }
      await exited;
    },
  };
}
