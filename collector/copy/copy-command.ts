/**
 * `spanlite copy --to TARGET`: copies everything in the database SPANLITE_DB names into TARGET
 * (store/copy/copy-database.ts), with a progress line on stderr, then compares the counts. The
 * way from the embedded SQLite file to PostgreSQL; any engine to any other works alike.
 */
import { parseArgs } from 'node:util';
import { copyDatabase, DEFAULT_BATCH_TRACES, type CopyProgress, type CopyResult } from '../store/copy/copy-database.js';
import { COUNT_NAMES } from '../store/copy/count-check.js';
import { databaseNamed, describeDatabase, openCopyEnd, sameDatabase, type DatabaseName, type OpenedCopyEnd } from './copy-end.js';
import { createProgressLine, describe, type ProgressOutput } from './copy-progress.js';

export const COPY_USAGE = `usage: spanlite copy --to TARGET [--batch-size N]

Copies everything in the database SPANLITE_DB names (traces, observations, scores, GenAI log
messages, projects, API keys, custom model prices) into TARGET: a SQLite file (created when
missing) or a postgres:// URL. Each trace is written through the target's own write path, so
totals, rollups and the search index are the target's own. Interrupted (Ctrl-C, kill), the
same command goes on where it stopped and copies nothing twice; run again later, it copies
what is new. It ends by comparing each project's counts in both databases, and exits 1
naming any that differ.

  --to TARGET       a SQLite file, or postgres://user:password@host:5432/database
  --batch-size N    traces read and written together (default ${DEFAULT_BATCH_TRACES}, 1 to 10000)

See docs/operations.md, "Copying between databases".`;

const MAX_BATCH_SIZE = 10_000;

export interface CopyCommandIo {
  out(text: string): void;
  err(text: string): void;
  /** Where the progress line goes (stderr). */
  progress: ProgressOutput;
  /** Calls `stop` on the first Ctrl-C or SIGTERM (a second one ends the process); returns what removes that. */
  onInterrupt(stop: () => void): () => void;
}

/** The command in this process: output on stdout and stderr, Ctrl-C and SIGTERM stopping the copy between pages. */
export function runCopyCommandInProcess(args: readonly string[], sourceDb: string): Promise<number> {
  return runCopyCommand(args, sourceDb, {
    out: (text) => console.log(text),
    err: (text) => console.error(text),
    progress: process.stderr,
    onInterrupt(stop) {
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      };
    },
  });
}

/** Resolves with the exit code: 0 copied and counts equal, 1 failed or counts differ, 2 refused, 130 interrupted. */
export async function runCopyCommand(args: readonly string[], sourceDb: string, io: CopyCommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: { to: { type: 'string' }, 'batch-size': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    io.err(`spanlite copy: ${(error as Error).message}\n\n${COPY_USAGE}`);
    return 2;
  }
  const { values } = parsed;
  if (values.help === true) {
    io.out(COPY_USAGE);
    return 0;
  }
  const refuse = (message: string) => {
    io.err(`spanlite copy: refused: ${message}\n\n${COPY_USAGE}`);
    return 2;
  };
  if (values.to === undefined || values.to.trim() === '') return refuse('--to TARGET is missing: name the database to copy into');
  const batchSize = values['batch-size'] === undefined ? DEFAULT_BATCH_TRACES : Number(values['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
    return refuse(`--batch-size: expected an integer 1-${MAX_BATCH_SIZE} (got "${values['batch-size']}")`);
  }
  const source = databaseNamed(sourceDb);
  const target = databaseNamed(values.to);
  if (target.engine === 'sqlite' && /^[a-z][a-z0-9+.-]*:\/\//i.test(target.value)) {
    return refuse(`--to: expected a SQLite file or a postgres:// URL (got ${target.value.split('//')[0]}//...)`);
  }
  let where: { source: string; target: string };
  try {
    where = { source: describeDatabase(source), target: describeDatabase(target) };
  } catch (error) {
    return refuse(`--to: ${(error as Error).message.replace(/^SPANLITE_DB: /, '')}`);
  }
  if (sameDatabase(source, target)) return refuse(`--to names the source database itself (${where.source}, SPANLITE_DB)`);

  const opened: OpenedCopyEnd[] = [];
  try {
    const open = async (name: DatabaseName, role: 'source' | 'target', described: string) => {
      try {
        const end = await openCopyEnd(name, role);
        opened.push(end);
        return end;
      } catch (error) {
        throw new Error(`cannot open the ${role} ${described}: ${(error as Error).message}`, { cause: error });
      }
    };
    const from = await open(source, 'source', `${where.source} (SPANLITE_DB)`);
    const to = await open(target, 'target', where.target);
    io.err(`spanlite copy: from ${where.source} to ${where.target}`);
    return await copyWithProgress(from, to, batchSize, io, where.target);
  } catch (error) {
    io.err(`spanlite copy: ${(error as Error).message}`);
    return 1;
  } finally {
    await Promise.all(opened.map((end) => end.close().catch(() => undefined)));
  }
}

async function copyWithProgress(from: OpenedCopyEnd, to: OpenedCopyEnd, batchTraces: number, io: CopyCommandIo, target: string): Promise<number> {
  let stopRequested = false;
  const removeHandler = io.onInterrupt(() => {
    if (!stopRequested) io.err('\nspanlite copy: stopping once the traces being written are written (interrupt again to stop at once)');
    stopRequested = true;
  });
  const progress = createProgressLine(io.progress);
  let shown: CopyProgress | null = null;
  let result: CopyResult;
  try {
    result = await copyDatabase(from, to, {
      batchTraces,
      onProgress: (figures) => progress.update((shown = figures)),
      shouldStop: () => stopRequested,
    });
  } catch (error) {
    // Ends a line redrawn in place, so that the error starts a line of its own.
    if (shown !== null) progress.finish(shown);
    throw error;
  } finally {
    removeHandler();
  }
  progress.finish(result.progress);
  if (!result.complete) {
    io.err(`spanlite copy: interrupted: ${describe(result.progress)}; run the same command again to go on`);
    return 130;
  }
  const { progress: figures } = result;
  io.out(
    `spanlite copy: into ${target}: ${count(result.projects.length, 'project')}; ` +
      `${count(figures.doneTraces - figures.skippedTraces, 'trace')} written, ${figures.skippedTraces.toLocaleString('en-US')} already there; ` +
      `rows of ${count(result.unstoredTraces, 'trace')} not stored (scores or log records without their spans); ` +
      `${count(result.keysCopied, 'API key')}; ${count(result.customModelsCopied, 'custom model price')}`,
  );
  if (result.differences.length === 0) {
    io.out('spanlite copy: counts match in both databases (per project: traces, observations, scores, GenAI log messages, custom model prices, API keys)');
    return 0;
  }
  const lines = result.differences.map(
    (d) => `  project "${d.projectId}": ${COUNT_NAMES[d.kind]}: ${d.source} in the source, ${d.target} in the target`,
  );
  io.err(
    `spanlite copy: counts differ after the copy:\n${lines.join('\n')}\n` +
      'A collector writing to the source during the copy leaves what came later uncopied: run the command again to copy it. ' +
      'A target written to by something else holds more than the source.',
  );
  return 1;
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}
