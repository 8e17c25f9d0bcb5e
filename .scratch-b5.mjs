import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { buildBatchTemplate, stampBatch, stampEntropyBytes } from './dist/bench/ingest/payload.js';
import { decodeProtobufTraces } from './dist/collector/decode.js';
import { mapSpan } from './dist/collector/mapping/map-span.js';
import { MIGRATIONS } from './dist/collector/store/sqlite-schema.js';
import { createBatchWriter } from './dist/collector/store/sqlite-write.js';
import { createObservationDerived } from './dist/collector/store/sqlite-observation-derived.js';
const NB = 40;
const template = buildBatchTemplate({ traceCount: 64, variant: 1 });
const batches = [];
for (let i = 0; i < NB; i++) { stampBatch(template, randomBytes(stampEntropyBytes(template)), BigInt(Date.now()) * 1000000n + BigInt(i) * 3000000000n); batches.push({ projectId: 'b', spans: decodeProtobufTraces(template.body).spans.map(mapSpan) }); }
const dir = mkdtempSync(join(tmpdir(), 'b5-'));
let n = 0;
const MY_IDX = ['traces_by_cost', 'traces_by_latency', 'observations_by_time', 'observations_by_level', 'observations_by_model', 'scores_by_name_value', 'scores_by_time'];
const variants = {
  'v2': { v: 2 },
  'v3 bare (no trig, no hook, no my idx)': { v: 3, trig: () => false, hook: false, idx: () => false },
  'v3 + my indexes': { v: 3, trig: () => false, hook: false },
  'v3 + idx + trace triggers': { v: 3, hook: false },
  'v3 + idx + trace trig w/o search': { v: 3, hook: false, trig: (t) => !t.includes('search') },
  'v3 + idx + hook (no trig)': { v: 3, trig: () => false, hook: true },
  'v3 full': { v: 3, hook: true },
};
function run({ v, trig, hook, idx }) {
  const db = new Database(join(dir, `${n++}.db`)); db.pragma('journal_mode = WAL'); db.pragma('synchronous = NORMAL'); db.pragma('cache_size = -65536'); db.pragma('temp_store = MEMORY'); db.pragma('wal_autocheckpoint = 10000');
  for (const m of MIGRATIONS.slice(0, v)) db.exec(m);
  if (v === 3) {
    if (trig) for (const { name } of db.prepare("select name from sqlite_master where type='trigger'").all()) if (!trig(name)) db.exec(`DROP TRIGGER ${name}`);
    if (idx) for (const name of MY_IDX) if (!idx(name)) db.exec(`DROP INDEX ${name}`);
  }
  const write = createBatchWriter(db, Date.now, hook ? createObservationDerived(db) : undefined);
  const c0 = process.cpuUsage();
  for (let i = 0; i < batches.length; i += 2) write(batches.slice(i, i + 2));
  const c = process.cpuUsage(c0);
  db.close();
  return (c.user + c.system) / (NB * 512);
}
const results = {};
for (let round = 0; round < 3; round++) for (const [label, v] of Object.entries(variants)) (results[label] ??= []).push(run(v));
for (const [label, r] of Object.entries(results)) { r.sort((a, b) => a - b); console.log(label.padEnd(40), r.map((x) => x.toFixed(0)).join(' '), ' median', r[1].toFixed(0)); }
