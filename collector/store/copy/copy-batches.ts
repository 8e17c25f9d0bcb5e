/**
 * Exported traces (contract.ts, TraceExport) -> the write path's batches, so that the target's
 * own writer recomputes what it derives: trace totals, rollups, tag rows, full-text documents.
 *
 * - Stored values are written as stored: an observation with its settled cost and cost-missing
 *   reason (nothing is priced again), every attribute, its resource and scope; scores with their
 *   ids; a trace as the contributions of its fact ranks (trace-contributions.ts).
 * - A page's GenAI messages go first, in a batch of their own: each waits for its span, which the
 *   next batch brings, and joins it as it joined it in the source (the same messages in the same
 *   order give the same input and output). A message whose span never arrived keeps waiting.
 * - A trace's observations are cut into parts whose searchable text fits one full-text document
 *   (MAX_DOCUMENT_CHARS), each part in a later write: the target indexes one document per trace
 *   per write, and a part beyond the limit would not be searchable. The trace's totals add up
 *   over the parts as over the source's batches.
 */
import type { GenAiMessageRecord } from '../../decode/log-record.js';
import type { JsonValue, MappedSpan, Observation, Score } from '../../model.js';
import type { ObservationRecord, ScoreRecord, SpanBatch, TraceExport, WriteTimes } from '../contract.js';
import { collectStrings, MAX_DOCUMENT_CHARS } from '../search-text.js';
import { contributionsOf } from './trace-contributions.js';

/** Observations per part at most, whatever their text: bounds one write's size. */
const MAX_OBSERVATIONS_PER_PART = 1_000;

/**
 * The writes that copy a page of exports, in order: each a group of batches for one
 * writeBatches call. The first starts with the page's messages.
 */
export function copyWritesOf(projectId: string, exports: readonly TraceExport[]): SpanBatch[][] {
  const partsByTrace = exports.map(partsOf);
  const writes: SpanBatch[][] = [];
  for (let round = 0; partsByTrace.some((parts) => parts.length > round); round++) {
    writes.push([{ projectId, spans: partsByTrace.flatMap((parts) => parts[round] ?? []) }]);
  }
  const messages = exports.flatMap((exported) => exported.messages.map(messageOf));
  if (messages.length === 0) return writes;
  const withMessages: SpanBatch = { projectId, spans: [], logs: { events: [], messages } };
  return writes.length === 0 ? [[withMessages]] : [[withMessages, ...writes[0]!], ...writes.slice(1)];
}

/** The source's write times of the page's stored traces and scores, which the copy's writes replace with their own. */
export function writeTimesOf(exports: readonly TraceExport[]): { traces: WriteTimes[]; scores: WriteTimes[] } {
  const times = ({ createdAtMs, updatedAtMs }: { createdAtMs: number; updatedAtMs: number }) => ({ createdAtMs, updatedAtMs });
  return {
    traces: exports.flatMap(({ trace }) => (trace === null ? [] : [{ id: trace.id, ...times(trace) }])),
    scores: exports.flatMap(({ scores }) => scores.map((score) => ({ id: score.id, ...times(score) }))),
  };
}

function partsOf(exported: TraceExport): MappedSpan[][] {
  const contributions = exported.trace === null ? [] : contributionsOf(exported.trace);
  let part: MappedSpan[] = contributions.map((trace) => ({ observation: null, events: [], scores: [], trace }));
  if (exported.scores.length > 0) part.push({ observation: null, events: [], scores: exported.scores.map(scoreOf), trace: null });
  let chars = contributions.reduce(
    (sum, { explicit, implicit }) => sum + searchableChars([explicit.name, implicit.name], explicit.input, explicit.output),
    0,
  );
  let observations = 0;
  const parts: MappedSpan[][] = [];
  for (const record of exported.observations) {
    const size = searchableChars([record.name], record.input, record.output);
    if (observations > 0 && (chars + size > MAX_DOCUMENT_CHARS || observations >= MAX_OBSERVATIONS_PER_PART)) {
      parts.push(part);
      part = [];
      chars = 0;
      observations = 0;
    }
    part.push({ observation: observationOf(record), events: [], scores: [], trace: null });
    chars += size;
    observations++;
  }
  if (part.length > 0) parts.push(part);
  return parts;
}

/** At most what these strings add to a full-text document (search-text.ts): each distinct one and a line break. */
function searchableChars(names: ReadonlyArray<string | undefined>, ...values: Array<JsonValue | null | undefined>): number {
  const strings = new Set<string>();
  for (const name of names) if (name !== undefined) strings.add(name);
  for (const value of values) collectStrings(value, strings);
  let chars = 0;
  for (const text of strings) chars += text.length + 1;
  return chars;
}

function observationOf(record: ObservationRecord): Observation {
  const { costUsd, totalCostUsd: _totalCostUsd, environment: _environment, attributes, ...fields } = record;
  // Not priced again: the provider, read for pricing only and not stored, is not needed.
  return { ...fields, reportedCost: null, cost: costUsd, rawAttributes: attributes, modelProvider: null };
}

function scoreOf(record: ScoreRecord): Score {
  const { environment: _environment, createdAtMs: _createdAtMs, updatedAtMs: _updatedAtMs, ...score } = record;
  return score;
}

function messageOf({ waiting: _waiting, ...message }: TraceExport['messages'][number]): GenAiMessageRecord {
  return message;
}
