/** A DecodedSpan builder for pure mapping tests: sensible defaults, override what matters. */
import type { DecodedSpan } from '../../collector/decode/span.js';

export function decodedSpan(overrides: Partial<DecodedSpan> = {}): DecodedSpan {
  return {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    parentSpanId: null,
    name: 'span',
    kind: 1,
    startTimeUnixNano: 1_700_000_000_000_000_000n,
    endTimeUnixNano: 1_700_000_001_000_000_000n,
    attributes: {},
    events: [],
    status: { code: 0, message: '' },
    resource: { 'service.name': 'test-service' },
    scope: { name: 'test-scope', version: '1.0.0', attributes: {} },
    ...overrides,
  };
}
