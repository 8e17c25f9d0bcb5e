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
const template = buildBatchTemplate({ traceCount: 64, variant: 1 });
const batches = [];
for (let i = 0; i < 30; i++) { stampBatch(template, randomBytes(stampEntropyBytes(template)), BigInt(Date.now()) * 1000000n + BigInt(i) * 3000000000n); batches.push({ projectId: 'b', spans: decodeProtobufTraces(template.body).spans.map(mapSpan) }); }
const dir = mkdtempSync(join(tmpdir(), 'bisect-'));
let n = 0;
function run(label, drop) {
  const db = new Database(join(dir, `${n++}.db`)); db.pragma('journal_mode = WAL'); db.pragma('synchronous = NORMAL'); db.pragma('cache_size = -65536');
  for (const m of MIGRATIONS) db.exec(m);
  for (const { name } of db.prepare("select name from sqlite_master where type='trigger'").all()) if (drop(name)) db.exec(`DROP TRIGGER ${name}`);
  const write = createBatchWriter(db);
  const t = process.hrtime.bigint();
  for (let i = 0; i < batches.length; i += 2) write(batches.slice(i, i + 2));
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  console.log(label.padEnd(30), Math.round(30 * 512 / s), 'spans/s');
  db.close();
}
run('all triggers', () => false);
run('no triggers', () => true);
run('only search', (n) => !n.includes('search'));
run('only obs search', (n) => n !== 'observations_search_insert');
run('only trace search', (n) => !n.startsWith('traces_search'));
run('only daily', (n) => !n.includes('daily'));
run('only sessions/users', (n) => !(n.includes('sessions') || n.includes('users')));
