/**
 * A trace's observations come back in start order. OTel JS stamps a span's start with
 * Date.now(), so sibling spans often start in the same millisecond: the one that ended first is
 * listed first, whatever their random span ids say.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../collector/store/sqlite-store.js';
import type { TraceStore } from '../../collector/store/trace-store.js';
import { mapSpan } from '../../collector/mapping/map-span.js';
import { decodedSpan } from '../helpers/decoded-span.js';

const TRACE_ID = '5eed651916cd43dd8448eb211c80319c';
const T0_NS = 1_750_000_000_000_000_000n;
const MS_NS = 1_000_000n;

let dir: string;
let store: TraceStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'spanlite-detail-order-'));
  store = openSqliteStore({ file: join(dir, 'spanlite.db'), synchronous: 'normal' });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function span(spanId: string, name: string, startNs: bigint, endNs: bigint, parentSpanId: string | null) {
  return mapSpan(decodedSpan({ traceId: TRACE_ID, spanId, parentSpanId, name, startTimeUnixNano: startNs, endTimeUnixNano: endNs }));
}

it('lists siblings that started in the same millisecond in the order they ended', async () => {
  const root = span('0000000000000001', 'handle-request', T0_NS, T0_NS + 5n * MS_NS, null);
  // The later sibling has the smaller span id, so ordering by id would put it first.
  const retrieval = span('ffffffffffffff01', 'retrieval', T0_NS + MS_NS, T0_NS + MS_NS + 150_000n, '0000000000000001');
  const answer = span('00000000000000a1', 'llm-answer', T0_NS + MS_NS, T0_NS + MS_NS + 900_000n, '0000000000000001');

  await store.writeBatches([{ projectId: 'default', spans: [answer, root, retrieval] }]);

  const detail = await store.getTrace('default', TRACE_ID);
  expect(detail?.observations.map((observation) => observation.name)).toEqual(['handle-request', 'retrieval', 'llm-answer']);
});
