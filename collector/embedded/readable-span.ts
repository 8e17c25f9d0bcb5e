/**
 * An in-process SDK span (ReadableSpan) in the decoder's normalised shape, so embedded mode goes
 * through exactly the mapping the collector uses for OTLP.
 */
import type { Attributes as OtelAttributes, HrTime } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { Attributes, AttributeValue, DecodedSpan, SpanStatusCodeValue } from '../decode/span.js';
import { isSafeKey } from '../model.js';

const ALL_ZERO_SPAN_ID = '0000000000000000';

export function decodedFromReadableSpan(span: ReadableSpan): DecodedSpan {
  const context = span.spanContext();
  const parentSpanId = span.parentSpanContext?.spanId;
  return {
    traceId: context.traceId,
    spanId: context.spanId,
    parentSpanId: parentSpanId && parentSpanId !== ALL_ZERO_SPAN_ID ? parentSpanId : null,
    name: span.name,
    kind: span.kind + 1, // the API's SpanKind starts at INTERNAL = 0; OTLP's at UNSPECIFIED = 0
    startTimeUnixNano: unixNano(span.startTime),
    endTimeUnixNano: unixNano(span.endTime),
    attributes: plainAttributes(span.attributes),
    events: span.events.map((event) => ({
      name: event.name,
      timeUnixNano: unixNano(event.time),
      attributes: plainAttributes(event.attributes ?? {}),
    })),
    status: { code: span.status.code as SpanStatusCodeValue, message: span.status.message ?? '' },
    resource: plainAttributes(span.resource.attributes as OtelAttributes),
    scope: { name: span.instrumentationScope.name, version: span.instrumentationScope.version ?? '', attributes: {} },
  };
}

function unixNano([seconds, nanos]: HrTime): bigint {
  return BigInt(seconds) * 1_000_000_000n + BigInt(nanos);
}

function plainAttributes(attributes: OtelAttributes): Attributes {
  const result: Attributes = {};
  for (const key of Object.keys(attributes)) {
    const value = attributes[key];
    if (value === undefined || !isSafeKey(key)) continue;
    result[key] = Array.isArray(value) ? value.map((item) => (item ?? null) as AttributeValue) : (value as AttributeValue);
  }
  return result;
}
