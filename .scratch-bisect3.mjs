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
const RAW = `(coalesce(new.name,'') || ' ' || coalesce(substr(new.input, -16000),'') || ' ' || coalesce(substr(new.output, 1, 16000),''))`;
const ESC = (x) => `replace(replace(replace(${x}, '\\n', ' '), '\\t', ' '), '\\r', ' ')`;
const HARAKAT = ['ً','ٌ','ٍ','َ','ُ','ِ','ّ','ْ','ٰ','ـ'];
const STRIP = (x) => HARAKAT.reduce((acc, h) => `replace(${acc}, '${h}', '')`, x);
function run(label, sql) {
  const db = new Database(join(dir, `${n++}.db`)); db.pragma('journal_mode = WAL'); db.pragma('synchronous = NORMAL'); db.pragma('cache_size = -65536');
  for (const m of MIGRATIONS) db.exec(m);
  for (const { name } of db.prepare("select name from sqlite_master where type='trigger'").all()) db.exec(`DROP TRIGGER ${name}`);
  db.exec(`CREATE TABLE docs(id INTEGER PRIMARY KEY, p, t, o); CREATE UNIQUE INDEX d1 ON docs(p,t,o); CREATE VIRTUAL TABLE tri USING fts5(text, content='', contentless_delete=1, tokenize='trigram'); CREATE VIRTUAL TABLE words USING fts5(text, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');`);
  if (sql) db.exec(`CREATE TRIGGER x AFTER INSERT ON observations BEGIN ${sql} END;`);
  const write = createBatchWriter(db);
  const t = process.hrtime.bigint();
  for (let i = 0; i < batches.length; i += 2) write(batches.slice(i, i + 2));
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  console.log(label.padEnd(36), Math.round(30 * 512 / s), 'spans/s');
  db.close();
}
for (let round = 0; round < 2; round++) {
run('no trigger', null);
run('docs row only', `INSERT INTO docs(p,t,o) VALUES (new.project_id, new.trace_id, new.id);`);
run('words esc', `INSERT INTO docs(p,t,o) VALUES (new.project_id, new.trace_id, new.id); INSERT INTO words(rowid, text) VALUES (last_insert_rowid(), ${ESC(RAW)});`);
run('words esc + harakat', `INSERT INTO docs(p,t,o) VALUES (new.project_id, new.trace_id, new.id); INSERT INTO words(rowid, text) VALUES (last_insert_rowid(), ${STRIP(ESC(RAW))});`);
run('words esc + cjk glob', `INSERT INTO docs(p,t,o) VALUES (new.project_id, new.trace_id, new.id); INSERT INTO words(rowid, text) VALUES (last_insert_rowid(), ${ESC(RAW)}); INSERT INTO tri(rowid, text) SELECT last_insert_rowid(), ${RAW} WHERE ${RAW} GLOB '*[一-鿿㐀-䶿぀-ヿ฀-๿ກ-໿ក-៿က-႟]*';`);
}
