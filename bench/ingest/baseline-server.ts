/**
 * The baseline the collector is compared with: the least a server can do to take OTLP protobuf
 * into SQLite. Fastify, our decoder, one row per span (trace id, span id, name, start, end,
 * attributes JSON) in one transaction per request, WAL and the same `synchronous` setting as the
 * collector, then 200 with an empty ExportTraceServiceResponse. No mapping, cost, events, scores
 * or trace rows, and no group commit.
 *
 * usage: node baseline-server.js --db FILE --port N [--host 127.0.0.1] [--sync full|normal]
 * Stops on SIGTERM/SIGINT.
 */
import Fastify from 'fastify';
import Database from 'better-sqlite3';
import { parseArgs } from 'node:util';
import { Buffer } from 'node:buffer';
import { decodeProtobufTraces } from '../../collector/decode/traces.js';
import type { DecodedSpan } from '../../collector/decode/span.js';

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    sync: { type: 'string', default: 'full' },
  },
});
if (values.db === undefined || values.port === undefined || !['full', 'normal'].includes(values.sync)) {
  console.error('usage: baseline-server --db FILE --port N [--host H] [--sync full|normal]');
  process.exit(2);
}

const db = new Database(values.db);
db.pragma('journal_mode = WAL');
db.pragma(`synchronous = ${values.sync === 'normal' ? 'NORMAL' : 'FULL'}`);
db.exec(`CREATE TABLE IF NOT EXISTS spans (
  trace_id TEXT NOT NULL,
  span_id TEXT NOT NULL,
  name TEXT NOT NULL,
  start_time_ns INTEGER NOT NULL,
  end_time_ns INTEGER NOT NULL,
  attributes TEXT NOT NULL,
  PRIMARY KEY (trace_id, span_id)
) WITHOUT ROWID`);
const insert = db.prepare(
  'INSERT INTO spans (trace_id, span_id, name, start_time_ns, end_time_ns, attributes) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
);
const insertAll = db.transaction((spans: readonly DecodedSpan[]) => {
  for (const span of spans) {
    insert.run(span.traceId, span.spanId, span.name, span.startTimeUnixNano, span.endTimeUnixNano, JSON.stringify(span.attributes));
  }
});

const app = Fastify({ logger: false, bodyLimit: 64 * 1024 * 1024 });
app.addContentTypeParser('application/x-protobuf', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
app.post('/v1/traces', async (request, reply) => {
  const { spans } = decodeProtobufTraces(request.body as Buffer);
  insertAll(spans);
  return reply.code(200).type('application/x-protobuf').send(Buffer.alloc(0));
});
app.get('/health', async () => ({ ok: true }));

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  app.close().finally(() => {
    db.close();
    process.exit(0);
  });
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

await app.listen({ host: values.host, port: Number(values.port) });
