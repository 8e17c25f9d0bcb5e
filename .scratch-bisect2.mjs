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
const EXTRACT = (c) => `coalesce((SELECT group_concat(value, char(10)) FROM json_tree(CASE WHEN json_valid(new.${c}) THEN new.${c} END) WHERE type = 'text'), '')`;
function run(label, sql) {
  const db = new Database(join(dir, `${n++}.db`)); db.pragma('journal_mode = WAL'); db.pragma('synchronous = NORMAL'); db.pragma('cache_size = -65536');
  for (const m of MIGRATIONS) db.exec(m);
  for (const { name } of db.prepare("select name from sqlite_master where type='trigger'").all()) db.exec(`DROP TRIGGER ${name}`);
  db.exec(`CREATE TABLE plain(t TEXT); CREATE VIRTUAL TABLE tri USING fts5(text, content='', tokenize='trigram'); CREATE VIRTUAL TABLE words USING fts5(text, content='', tokenize='unicode61 remove_diacritics 2');`);
  if (sql) db.exec(`CREATE TRIGGER x AFTER INSERT ON observations BEGIN ${sql} END;`);
  const write = createBatchWriter(db);
  const t = process.hrtime.bigint();
  for (let i = 0; i < batches.length; i += 2) write(batches.slice(i, i + 2));
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  const chars = db.prepare('select sum(length(input)) + sum(length(output)) c from observations').get().c;
  console.log(label.padEnd(36), Math.round(30 * 512 / s), 'spans/s', sql && label.includes('plain') ? '' : '', Math.round(chars / (30*512)), 'chars/span');
  db.close();
}
run('no trigger', null);
run('extract into plain', `INSERT INTO plain VALUES (${EXTRACT('input')} || ${EXTRACT('output')});`);
run('raw into plain', `INSERT INTO plain VALUES (coalesce(new.input,'') || coalesce(new.output,''));`);
run('raw into trigram', `INSERT INTO tri(text) VALUES (coalesce(new.input,'') || coalesce(new.output,''));`);
run('extract into trigram', `INSERT INTO tri(text) VALUES (${EXTRACT('input')} || ${EXTRACT('output')});`);
run('raw into unicode61', `INSERT INTO words(text) VALUES (coalesce(new.input,'') || coalesce(new.output,''));`);
run('extract into unicode61', `INSERT INTO words(text) VALUES (${EXTRACT('input')} || ${EXTRACT('output')});`);
run('glob cjk check', `INSERT INTO plain SELECT 1 WHERE (coalesce(new.input,'') || coalesce(new.output,'')) GLOB '*[一-鿿]*';`);
