/**
 * The progress of `spanlite copy` on stderr: on a terminal, one line redrawn in place with a bar;
 * otherwise (a log, a pipe) a line after the first page and then at most every few seconds, so
 * that a long copy's log shows it moving without a line per page.
 */
import type { CopyProgress } from '../store/copy/copy-database.js';

export interface ProgressOutput {
  /** True on a terminal. */
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface ProgressLine {
  update(progress: CopyProgress): void;
  /** The last figures, ending the line on a terminal. */
  finish(progress: CopyProgress): void;
}

/** Between two lines when not on a terminal. */
const LINE_INTERVAL_MS = 5_000;
const BAR_WIDTH = 30;

export function createProgressLine(output: ProgressOutput, now: () => number = Date.now): ProgressLine {
  let lastLineMs = Number.NEGATIVE_INFINITY;
  return {
    update(progress) {
      if (output.isTTY === true) {
        output.write(`\r${bar(progress)} ${describe(progress)}\u001b[K`);
      } else if (now() - lastLineMs >= LINE_INTERVAL_MS) {
        lastLineMs = now();
        output.write(`${describe(progress)}\n`);
      }
    },
    finish(progress) {
      if (output.isTTY === true) output.write(`\r${bar(progress)} ${describe(progress)}\u001b[K\n`);
      else output.write(`${describe(progress)}\n`);
    },
  };
}

/** `copied 1,200 of 5,000 traces (24%), 200 already in the target` */
export function describe({ totalTraces, doneTraces, skippedTraces }: CopyProgress): string {
  const already = skippedTraces > 0 ? `, ${skippedTraces.toLocaleString('en-US')} already in the target` : '';
  return `copied ${doneTraces.toLocaleString('en-US')} of ${totalTraces.toLocaleString('en-US')} traces (${percent(doneTraces, totalTraces)}%)${already}`;
}

/** Whole percent; a source that gained traces during the copy stops at 100. */
function percent(done: number, total: number): number {
  return total === 0 ? 100 : Math.min(100, Math.floor((done / total) * 100));
}

function bar(progress: CopyProgress): string {
  const filled = Math.round((percent(progress.doneTraces, progress.totalTraces) / 100) * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
}
