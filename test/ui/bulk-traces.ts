/**
 * A big database, fast: traces generated as decoded spans, mapped and priced by the real
 * pipeline stages, and written by the store's own batch writer straight into the
 * file (no HTTP, no OTLP encoding), as bench/query/write-overhead does. The connection is set up
 * for a one-off bulk build (rollback journal in memory, no fsync, a page cache holding the whole
 * file, large transactions); the collector then opens the file as usual. Each trace is a root
 * generation (every tenth: a root span with the generation under it); users, sessions, tags,
 * models and errors vary.
 */
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import type { DecodedSpan } from '../../collector/decode/span.js';
import type { MappedSpan } from '../../collector/model.js';
import { mapSpan } from '../../collector/mapping/map-span.js';
import { applyCost } from '../../collector/pricing/cost.js';
import { loadDefaultPriceIndex } from '../../collector/pricing/default-price-index.js';
import { migrate } from '../../collector/store/sqlite/migrate.js';
import { createBatchWriter } from '../../collector/store/sqlite/write/batch-writer.js';
import { createBatchDerived } from '../../collector/store/sqlite/write/batch-derived.js';
import { createScoreRepeats } from '../../collector/store/sqlite/write/score-repeats.js';
import { createObservationIdIndex } from '../../collector/store/sqlite/search/observation-ids.js';
import { DEFAULT_PROJECT_ID } from '../../collector/app.js';
import * as ours from '../../semconv/spanlite.js';
import * as genAi from '../../semconv/gen-ai.js';

/** Traces per transaction: larger ones rewrite fewer index pages in all. */
const TRACES_PER_BATCH = 10_000;
const MODELS = ['gpt-4o-mini', 'gpt-4.1', 'claude-sonnet-4', 'gemini-2.5-flash'];
const NAMES = ['rag-answer', 'classify-ticket', 'extract-invoice', 'chat-turn', 'summarize'];
const MS = 1_000_000n;

export interface BulkLoad {
  traces: number;
  seconds: number;
  /** A trace in the middle of the data, to open. */
  sampleTraceId: string;
}

/** Writes `count` traces ending now, one every `spacingMs`, into the database file. */
export async function bulkLoadTraces(dbFile: string, count: number, spacingMs = 5000): Promise<BulkLoad> {
  const started = process.hrtime.bigint();
  const db = new Database(dbFile);
  db.pragma('journal_mode = MEMORY');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -2000000');
  migrate(db, dbFile);
  // Wired as openSqliteStore wires it: the derived tables (daily usage, full-text index) included.
  const write = createBatchWriter(db, Date.now, createBatchDerived(db, createScoreRepeats(db), createObservationIdIndex(db)));
  const prices = await loadDefaultPriceIndex();
  const firstMs = BigInt(Date.now() - count * spacingMs);
  let sampleTraceId = '';
  try {
    for (let at = 0; at < count; at += TRACES_PER_BATCH) {
      const spans: MappedSpan[] = [];
      for (let i = at; i < Math.min(count, at + TRACES_PER_BATCH); i++) {
        const traceId = randomBytes(16).toString('hex');
        if (i === Math.floor(count / 2)) sampleTraceId = traceId;
        for (const span of traceSpans(i, traceId, (firstMs + BigInt(i * spacingMs)) * MS)) {
          const mapped = mapSpan(span);
          const observation = mapped.observation;
          if (observation !== null && observation.model !== null) applyCost(observation, prices);
          spans.push(mapped);
        }
      }
      const [outcome] = write([{ projectId: DEFAULT_PROJECT_ID, spans }]);
      if (outcome !== undefined && !outcome.ok) throw outcome.error;
    }
    db.exec('ANALYZE');
  } finally {
    db.close();
  }
  return { traces: count, seconds: Number(process.hrtime.bigint() - started) / 1e9, sampleTraceId };
}

function traceSpans(i: number, traceId: string, startNs: bigint): DecodedSpan[] {
  const rootId = randomBytes(8).toString('hex');
  const durationMs = 300 + ((i * 7919) % 4000);
  const model = MODELS[i % MODELS.length]!;
  const question = `Question ${i}: how do I configure feature ${i % 97}?`;
  const answer = `Answer ${i}: open the settings and enable feature ${i % 97}.`;
  const common = {
    traceId,
    kind: 1,
    events: [],
    resource: { 'service.name': 'bulk-app', 'service.version': '1.0.0' },
    scope: { name: 'bulk', version: '1.0.0', attributes: {} },
  };
  const root: DecodedSpan = {
    ...common,
    spanId: rootId,
    parentSpanId: null,
    name: NAMES[i % NAMES.length]!,
    startTimeUnixNano: startNs,
    endTimeUnixNano: startNs + BigInt(durationMs) * MS,
    attributes: {
      [ours.SPANLITE_TRACE_USER_ID]: `user_${i % 500}`,
      [ours.SPANLITE_TRACE_SESSION_ID]: `session_${Math.floor(i / 4)}`,
      [ours.SPANLITE_TRACE_TAGS]: [i % 2 === 0 ? 'production' : 'staging'],
      [ours.SPANLITE_OBSERVATION_INPUT]: question,
      [ours.SPANLITE_OBSERVATION_OUTPUT]: answer,
    },
    status: i % 50 === 0 ? { code: 2, message: 'provider error' } : { code: 0, message: '' },
  };
  const generation: DecodedSpan = {
    ...common,
    spanId: randomBytes(8).toString('hex'),
    parentSpanId: rootId,
    name: `chat ${model}`,
    startTimeUnixNano: startNs + 10n * MS,
    endTimeUnixNano: startNs + BigInt(durationMs - 10) * MS,
    attributes: {
      [genAi.GEN_AI_OPERATION_NAME]: 'chat',
      [genAi.GEN_AI_REQUEST_MODEL]: model,
      [genAi.GEN_AI_USAGE_INPUT_TOKENS]: 100 + (i % 900),
      [genAi.GEN_AI_USAGE_OUTPUT_TOKENS]: 20 + (i % 300),
      [genAi.GEN_AI_INPUT_MESSAGES]: JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: question }] }]),
      [genAi.GEN_AI_OUTPUT_MESSAGES]: JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: answer }] }]),
    },
    status: { code: 0, message: '' },
  };
  // Every tenth trace has its generation as a child span; the others are the generation alone.
  if (i % 10 === 0) return [root, generation];
  return [{ ...generation, spanId: rootId, parentSpanId: null, attributes: { ...root.attributes, ...generation.attributes }, status: root.status }];
}
