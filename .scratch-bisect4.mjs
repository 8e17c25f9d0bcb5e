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
const NB = 40;
const template = buildBatchTemplate({ traceCount: 64, variant: 1 });
const batches = [];
for (let i = 0; i < NB; i++) { stampBatch(template, randomBytes(stampEntropyBytes(template)), BigInt(Date.now()) * 1000000n + BigInt(i) * 3000000000n); batches.push({ projectId: 'b', spans: decodeProtobufTraces(template.body).spans.map(mapSpan) }); }
const dir = mkdtempSync(join(tmpdir(), 'bisect-'));
let n = 0;
const RAW = `(coalesce(new.name,'') || ' ' || coalesce(substr(new.input, -16000),'') || ' ' || coalesce(substr(new.output, 1, 16000),'') || '  ')`;
const ESC = (x) => `replace(replace(replace(${x}, '\\n', ' '), '\\t', ' '), '\\r', ' ')`;
const CJK = `'*[一-鿿㐀-䶿぀-ヿ฀-๿ກ-໿ក-៿က-႟]*'`;
const variants = {
  'A v2 schema (no query migration)': { v: 2 },
  'B v3 schema, no triggers': { v: 3, sql: null },
  'C v3 + daily/session/user triggers': { v: 3, keep: (t) => !t.includes('search') },
  'D docs table only': { v: 3, sql: `INSERT INTO docs(p,t,o) VALUES (new.project_id, new.trace_id, new.id);` },
  'E docs + words': { v: 3, sql: `INSERT INTO docs(p,t,o) VALUES (new.project_id, new.trace_id, new.id); INSERT INTO words(rowid, text) VALUES (last_insert_rowid(), ${ESC(RAW)});` },
  'F docs + words + cjk': { v: 3, sql: `INSERT INTO docs(p,t,o) VALUES (new.project_id, new.trace_id, new.id); INSERT INTO words(rowid, text) VALUES (last_insert_rowid(), ${ESC(RAW)}); INSERT INTO tri(rowid, text) SELECT last_insert_rowid(), x FROM (SELECT ${RAW} AS x) WHERE x GLOB ${CJK};` },
  'G words w/ unindexed trace col': { v: 3, sql: `INSERT INTO words2(p, t, text) VALUES (new.project_id, new.trace_id, ${ESC(RAW)});` },
  'H docs + trigram all (current)': { v: 3, sql: `INSERT INTO docs(p,t,o) VALUES (new.project_id, new.trace_id, new.id); INSERT INTO tri(rowid, text) VALUES (last_insert_rowid(), ${RAW});` },
};
function run(label, { v, sql, keep }) {
  const db = new Database(join(dir, `${n++}.db`)); db.pragma('journal_mode = WAL'); db.pragma('synchronous = NORMAL'); db.pragma('cache_size = -65536'); db.pragma('temp_store = MEMORY');
  for (const m of MIGRATIONS.slice(0, v)) db.exec(m);
  if (v === 3) for (const { name } of db.prepare("select name from sqlite_master where type='trigger'").all()) if (!keep || !keep(name)) db.exec(`DROP TRIGGER ${name}`);
  db.exec(`CREATE TABLE docs(id INTEGER PRIMARY KEY, p, t, o); CREATE UNIQUE INDEX d1 ON docs(p,t,o); CREATE VIRTUAL TABLE tri USING fts5(text, content='', contentless_delete=1, tokenize='trigram'); CREATE VIRTUAL TABLE words USING fts5(text, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2'); CREATE VIRTUAL TABLE words2 USING fts5(p UNINDEXED, t UNINDEXED, text, content='', contentless_delete=1, contentless_unindexed=1, tokenize='unicode61 remove_diacritics 2');`);
  if (sql) db.exec(`CREATE TRIGGER x AFTER INSERT ON observations BEGIN ${sql} END;`);
  const write = createBatchWriter(db);
  const c0 = process.cpuUsage();
  for (let i = 0; i < batches.length; i += 2) write(batches.slice(i, i + 2));
  const c = process.cpuUsage(c0);
  db.close();
  return (c.user + c.system) / (NB * 512);
}
const results = {};
for (let round = 0; round < 3; round++) for (const [label, v] of Object.entries(variants)) (results[label] ??= []).push(run(label, v));
for (const [label, r] of Object.entries(results)) { r.sort((a, b) => a - b); console.log(label.padEnd(38), r.map((x) => x.toFixed(0)).join(' '), 'µs CPU/span, median', r[1].toFixed(0)); }
