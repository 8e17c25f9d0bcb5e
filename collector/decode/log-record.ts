/**
 * The OTLP log record shapes after the wire: what `decode-logs` produces (one normalised record
 * shape for protobuf and JSON, like `decode/span.ts` for spans) and what `mapping/log-records` makes of
 * it for the store.
 */
import type { AttributeValue, Attributes } from './span.js';
import type { JsonValue, Observation } from '../model.js';

export interface DecodedLogRecord {
  /** 32 lowercase hex characters, or null when the record has no trace context. */
  traceId: string | null;
  /** 16 lowercase hex characters, or null when the record names no span. */
  spanId: string | null;
  /** `time_unix_nano`, or `observed_time_unix_nano` when the former is 0 (unknown). */
  timeUnixNano: bigint;
  /** OTLP `SeverityNumber` (0 unspecified, 1-4 trace ... 21-24 fatal). */
  severityNumber: number;
  severityText: string;
  /** `event_name` (field 12), '' when absent; older SDKs put it in the `event.name` attribute. */
  eventName: string;
  body: AttributeValue;
  attributes: Attributes;
  /** Resource attributes of the ResourceLogs this record came in (shared: read-only). */
  resource: Attributes;
  /** Instrumentation scope of the ScopeLogs this record came in (shared: read-only). */
  scope: { name: string; version: string; attributes: Attributes };
  /** Where the record sat in the request, e.g. `resourceLogs[0].scopeLogs[1].logRecords[2]`; for messages. */
  position: string;
}

/** A record the collector could read but refused; the rest of the request is kept. */
export interface RefusedLogRecord {
  /** The record's position in the request (log records have no id). */
  record: string;
  reason: string;
}

export interface DecodedLogs {
  records: DecodedLogRecord[];
  refused: RefusedLogRecord[];
}

/**
 * One chat message carried by a GenAI event record (`gen_ai.user.message`, `gen_ai.choice`, ...),
 * to be joined to its span's observation as part of its input or output.
 */
export interface GenAiMessageRecord {
  traceId: string;
  spanId: string;
  /** Deterministic from the record's content, so a re-sent record is stored once. */
  id: string;
  direction: 'input' | 'output';
  /** Messages of one span are ordered by this, then by arrival. */
  timeUnixNano: bigint;
  message: JsonValue;
}

/** The log records of one export request, mapped. */
export interface MappedLogs {
  /** EVENT observations: every record that is not a GenAI message. */
  events: Observation[];
  messages: GenAiMessageRecord[];
}
