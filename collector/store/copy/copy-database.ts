/**
 * Copies everything one store holds into another, whatever their engines, through the store
 * contract (CopyableStore, KeyStore): API keys as stored (salt and hash, never new secrets),
 * custom model prices with their ids, then each project's traces in pages of trace ids, each
 * page read on one snapshot of the source and written through the target's own write path
 * (copy-batches.ts), then the rows of traces not stored (scores sent before their trace, log
 * records of spans never sent). Every write is idempotent, and a trace the target already holds
 * as the source does (copy-state.ts) is not written again: a copy interrupted anywhere, run
 * again, goes on where it stopped without duplicating anything. At the end, every project's
 * counts are compared (count-check.ts).
 */
import type { ApiKeyRecord, KeyStore } from '../../auth/key-store.js';
import type { CopyableStore, TraceExport, TraceExportPage } from '../contract.js';
import { copyWritesOf, writeTimesOf } from './copy-batches.js';
import { copyStateOf, sameCopyState } from './copy-state.js';
import { countDifferences, type CountDifference } from './count-check.js';

/** One side of a copy: a store and the key store of the same database. */
export interface CopyEnd {
  store: CopyableStore;
  keys: KeyStore;
}

/** A few hundred traces: one page is one snapshot read and a few writes of the target. */
export const DEFAULT_BATCH_TRACES = 250;

export interface CopyProgress {
  /** Stored traces in the source's projects, counted when the copy began. */
  totalTraces: number;
  /** Stored traces done: written, or found in the target as they are in the source. */
  doneTraces: number;
  /** Of the done traces, those found in the target already. */
  skippedTraces: number;
}

export interface CopyOptions {
  /** Trace ids per page (default DEFAULT_BATCH_TRACES). */
  batchTraces?: number;
  /** Told after each page of stored traces. */
  onProgress?(progress: CopyProgress): void;
  /** Asked before each page: true stops the copy there, everything written so far kept. */
  shouldStop?(): boolean;
}

export interface CopyResult {
  /** False when shouldStop ended the copy early (then nothing was compared). */
  complete: boolean;
  projects: string[];
  progress: CopyProgress;
  /** Trace ids of traces not stored whose rows were written. */
  unstoredTraces: number;
  keysCopied: number;
  customModelsCopied: number;
  differences: CountDifference[];
}

export async function copyDatabase(source: CopyEnd, target: CopyEnd, options: CopyOptions = {}): Promise<CopyResult> {
  const limit = options.batchTraces ?? DEFAULT_BATCH_TRACES;
  const sourceKeys = await source.keys.list();
  const projects = [...new Set([...(await source.store.listProjects()), ...sourceKeys.map((key) => key.projectId)])].sort();
  const progress: CopyProgress = { totalTraces: 0, doneTraces: 0, skippedTraces: 0 };
  for (const projectId of projects) progress.totalTraces += (await source.store.countStored(projectId)).traces;
  const result: CopyResult = {
    complete: false,
    projects,
    progress,
    unstoredTraces: 0,
    keysCopied: await copyKeys(sourceKeys, target.keys),
    customModelsCopied: 0,
    differences: [],
  };
  for (const projectId of projects) result.customModelsCopied += await copyCustomModels(source.store, target.store, projectId);

  for (const projectId of projects) {
    for (const part of ['stored', 'unstored'] as const) {
      let page: TraceExportPage = { part, afterTraceId: null, limit };
      for (;;) {
        if (options.shouldStop?.() === true) return result;
        const exports = await source.store.exportTraces(projectId, page);
        if (exports.length === 0) break;
        const written = await copyPage(target.store, projectId, exports);
        if (part === 'stored') {
          progress.doneTraces += exports.length;
          progress.skippedTraces += exports.length - written;
          options.onProgress?.({ ...progress });
        } else {
          result.unstoredTraces += written;
        }
        page = { ...page, afterTraceId: exports.at(-1)!.traceId };
      }
    }
  }
  result.complete = true;
  result.differences = await countDifferences(source, target, projects);
  return result;
}

/** Writes the exports the target does not hold as the source does; resolves with how many it wrote. */
async function copyPage(target: CopyableStore, projectId: string, exports: readonly TraceExport[]): Promise<number> {
  const states = await target.copyStates(projectId, exports.map((exported) => exported.traceId));
  const changed = exports.filter((exported) => !sameCopyState(copyStateOf(exported), states.get(exported.traceId)));
  for (const batches of copyWritesOf(projectId, changed)) {
    const outcomes = await target.writeBatches(batches);
    const failed = outcomes.find((outcome) => !outcome.ok);
    if (failed !== undefined && !failed.ok) {
      const ids = `${changed[0]!.traceId} to ${changed.at(-1)!.traceId}`;
      throw new Error(`the target refused the traces ${ids} of project "${projectId}": ${failed.error.message}`, { cause: failed.error });
    }
  }
  await target.restoreWriteTimes(projectId, writeTimesOf(changed));
  return changed.length;
}

/** Keys the target lacks, inserted as stored; a key revoked since an earlier copy, revoked there too. */
async function copyKeys(keys: readonly ApiKeyRecord[], target: KeyStore): Promise<number> {
  let copied = 0;
  for (const key of keys) {
    const existing = await target.findById(key.id);
    if (existing === null) {
      await target.insert(key);
      copied++;
    } else if (key.revokedAtMs !== null && existing.revokedAtMs === null) {
      await target.revoke(key.publicKey, key.revokedAtMs);
      copied++;
    }
  }
  return copied;
}

/** Model prices the target lacks (by id), inserted with their ids and creation times. */
async function copyCustomModels(source: CopyableStore, target: CopyableStore, projectId: string): Promise<number> {
  const present = new Set((await target.listCustomModels(projectId)).map((model) => model.id));
  let copied = 0;
  for (const model of await source.listCustomModels(projectId)) {
    if (present.has(model.id)) continue;
    await target.insertCustomModel(projectId, model);
    copied++;
  }
  return copied;
}
