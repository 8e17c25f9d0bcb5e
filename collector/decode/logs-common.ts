/**
 * What the protobuf and JSON log decoders share beyond the OTLP readers: the envelope's names,
 * the record they fill in, and the checks that refuse a record.
 */
import type { DecodedLogRecord, DecodedLogs } from './log-record.js';
import { MAX_UNIX_NANO } from './span.js';
import { emptyAttributes, expectedTime, type ItemContext, type OtlpEnvelopeNames } from './otlp-values.js';

/** opentelemetry/proto/collector/logs/v1 ExportLogsServiceRequest and logs/v1. */
export const LOG_ENVELOPE_NAMES: OtlpEnvelopeNames = Object.freeze({
  request: 'ExportLogsServiceRequest',
  resources: 'resourceLogs',
  resourcesProto: 'resource_logs',
  scopes: 'scopeLogs',
  scopesProto: 'scope_logs',
  items: 'logRecords',
  itemsProto: 'log_records',
});

/**
 * A record with every field at its OTLP default, for a decoder to fill in as it reads the record's
 * fields and then hand to keepOrRefuse. Its `position` names it in messages:
 * `resourceLogs[0].scopeLogs[1].logRecords[2]`.
 */
export function emptyRecord(context: ItemContext, recordIndex: number): DecodedLogRecord {
  return {
    traceId: null,
    spanId: null,
    timeUnixNano: 0n,
    severityNumber: 0,
    severityText: '',
    eventName: '',
    body: null,
    attributes: emptyAttributes(),
    resource: context.resource,
    scope: context.scope,
    position: `${context.scopePosition}.${LOG_ENVELOPE_NAMES.items}[${recordIndex}]`,
  };
}

/**
 * Keeps a record read in full, or refuses it (naming its position) when the decoder found
 * `problems` with its ids, or when a time is past 2262 (it would not fit the store). A record sent
 * without a time keeps its `observedTimeUnixNano`.
 */
export function keepOrRefuse(
  out: DecodedLogs,
  record: DecodedLogRecord,
  observedTimeUnixNano: bigint,
  problems: string[],
): void {
  const { timeUnixNano } = record;
  if (timeUnixNano > MAX_UNIX_NANO) problems.push(`timeUnixNano: ${expectedTime()} (got ${timeUnixNano})`);
  if (observedTimeUnixNano > MAX_UNIX_NANO) {
    problems.push(`observedTimeUnixNano: ${expectedTime()} (got ${observedTimeUnixNano})`);
  }
  if (problems.length > 0) {
    out.refused.push({ record: record.position, reason: problems.join('; ') });
    return;
  }
  if (timeUnixNano === 0n) record.timeUnixNano = observedTimeUnixNano;
  out.records.push(record);
}
