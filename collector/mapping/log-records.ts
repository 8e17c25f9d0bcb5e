/**
 * mapLogRecords: the log records of one export -> chat messages to join to their spans, EVENT
 * observations, and refusals. Pure: no clock, no database, no logger.
 *
 * - GenAI message events (`gen_ai.user.message`, `gen_ai.choice`, ... see semconv/gen-ai-events)
 *   with a span context become messages of that span's observation: request messages its input,
 *   choices its output, in time order. The store joins them whichever arrives first.
 * - Every other record with a trace id becomes an EVENT observation under its span (or at the
 *   top of its trace when it names no span).
 * - A record without a trace id is refused, with the reason, in the response's partial success:
 *   spanlite stores traces, and such a record (usually an application log line) has no trace to
 *   belong to. Refusing tells the sender; storing it as a one-event trace of its own would bury
 *   the LLM traces under log lines.
 */
import { createHash } from 'node:crypto';
import type { AttributeValue, Attributes } from '../decode/span.js';
import type { DecodedLogRecord, DecodedLogs, GenAiMessageRecord, MappedLogs, RefusedLogRecord } from '../decode/log-record.js';
import type { JsonValue, Level, Observation } from '../model.js';
import * as events from '../../semconv/gen-ai-events.js';
import { GEN_AI_INPUT_MESSAGES, GEN_AI_OUTPUT_MESSAGES, GEN_AI_SYSTEM_INSTRUCTIONS } from '../../semconv/gen-ai.js';
import { EVENT_NAME, EXCEPTION_MESSAGE, EXCEPTION_TYPE } from '../../semconv/otel.js';
import { firstJson, firstString } from './attribute-readers.js';
import { parseLevel } from './level.js';
import { eventObservation } from './event-observation.js';

export interface MappedLogRecords {
  logs: MappedLogs;
  /** Records stored (as messages or events). */
  accepted: number;
  refused: RefusedLogRecord[];
}

type Direction = GenAiMessageRecord['direction'];
type Message = { direction: Direction; message: JsonValue };

/** A message event's name -> how its body reads. Add a row for a new event name. */
const MESSAGE_EVENTS: ReadonlyMap<string, (record: DecodedLogRecord) => Message[]> = new Map([
  [events.GEN_AI_SYSTEM_MESSAGE_EVENT, (record) => [requestMessage(record.body, 'system')]],
  [events.GEN_AI_USER_MESSAGE_EVENT, (record) => [requestMessage(record.body, 'user')]],
  [events.GEN_AI_ASSISTANT_MESSAGE_EVENT, (record) => [requestMessage(record.body, 'assistant')]],
  [events.GEN_AI_TOOL_MESSAGE_EVENT, (record) => [requestMessage(record.body, 'tool')]],
  [events.GEN_AI_CHOICE_EVENT, (record) => [choiceMessage(record.body)]],
  [events.GEN_AI_CLIENT_INFERENCE_OPERATION_DETAILS_EVENT, operationDetailsMessages],
]);

/** Lowest SeverityNumber of each level (OTel log data model ranges), highest first. */
const LEVEL_BY_SEVERITY: ReadonlyArray<readonly [number, Level]> = [
  [17, 'ERROR'], // ERROR, FATAL
  [13, 'WARNING'], // WARN
  [9, 'DEFAULT'], // INFO
  [1, 'DEBUG'], // TRACE, DEBUG
];

export function mapLogRecords(decoded: DecodedLogs): MappedLogRecords {
  const logs: MappedLogs = { events: [], messages: [] };
  const refused = [...decoded.refused];
  const seen = new Map<string, number>();
  let accepted = 0;
  for (const record of decoded.records) {
    if (record.traceId === null) {
      refused.push({
        record: record.position,
        reason: 'no trace context (traceId empty): spanlite keeps log records only as part of a trace',
      });
      continue;
    }
    accepted++;
    const { traceId, spanId } = record;
    const id = uniqueId(recordHash(record), seen);
    const toMessages = MESSAGE_EVENTS.get(eventNameOf(record));
    if (toMessages !== undefined && spanId !== null) {
      toMessages(record).forEach(({ direction, message }, index) => {
        logs.messages.push({
          traceId,
          spanId,
          id: index === 0 ? id : `${id}.${index}`,
          direction,
          timeUnixNano: record.timeUnixNano,
          message,
        });
      });
    } else {
      logs.events.push(toEventObservation(record, traceId, id));
    }
  }
  return { logs, accepted, refused };
}

function eventNameOf(record: DecodedLogRecord): string {
  return record.eventName !== '' ? record.eventName : (firstString(record.attributes, [EVENT_NAME]) ?? '');
}

/**
 * Same content, same id: a re-sent export stores nothing twice. The n-th identical record within
 * one export gets `-n`, so true repeats are all kept.
 */
function recordHash(record: DecodedLogRecord): string {
  return createHash('sha1')
    .update(
      JSON.stringify([
        record.traceId,
        record.spanId,
        record.timeUnixNano.toString(),
        record.severityNumber,
        record.severityText,
        record.eventName,
        record.body,
        record.attributes,
      ]),
    )
    .digest('hex')
    .slice(0, 24);
}

function uniqueId(hash: string, seen: Map<string, number>): string {
  const count = seen.get(hash) ?? 0;
  seen.set(hash, count + 1);
  return count === 0 ? hash : `${hash}-${count}`;
}

function isObject(value: AttributeValue | undefined): value is { [key: string]: AttributeValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{ role, ...body }`: the role sent in the body wins over the one the event name implies. */
function requestMessage(body: AttributeValue, role: string): Message {
  return { direction: 'input', message: withRole(body, role) };
}

function withRole(body: AttributeValue, role: string): JsonValue {
  if (!isObject(body)) return body === null ? { role } : { role, content: body };
  const { role: sentRole, ...rest } = body;
  return { role: typeof sentRole === 'string' && sentRole !== '' ? sentRole : role, ...rest };
}

/** `{ index, finish_reason, message: {...} }` -> `{ role, content, tool_calls, index, finish_reason }`. */
function choiceMessage(body: AttributeValue): Message {
  if (!isObject(body)) return { direction: 'output', message: withRole(body, 'assistant') };
  const { message, ...rest } = body;
  const inner = withRole(isObject(message) ? message : null, 'assistant') as Record<string, JsonValue>;
  return { direction: 'output', message: { ...inner, ...rest } };
}

/** semconv 1.37+: the whole exchange in attributes; system instructions go first, as on spans. */
function operationDetailsMessages(record: DecodedLogRecord): Message[] {
  const messages: Message[] = [];
  const instructions = firstJson(record.attributes, [GEN_AI_SYSTEM_INSTRUCTIONS]);
  if (instructions !== undefined) {
    messages.push({ direction: 'input', message: { role: 'system', parts: instructions } });
  }
  for (const [key, direction] of [[GEN_AI_INPUT_MESSAGES, 'input'], [GEN_AI_OUTPUT_MESSAGES, 'output']] as const) {
    const value = firstJson(record.attributes, [key]);
    if (value === undefined) continue;
    for (const message of Array.isArray(value) ? value : [value]) messages.push({ direction, message });
  }
  return messages;
}

function toEventObservation(record: DecodedLogRecord, traceId: string, id: string): Observation {
  const { level, statusMessage } = recordLevel(record);
  const metadata: Record<string, JsonValue> = {};
  if (record.severityText !== '') metadata.severityText = record.severityText;
  if (record.severityNumber !== 0) metadata.severityNumber = record.severityNumber;
  return eventObservation({
    id: record.spanId === null ? `log-${id}` : `${record.spanId}-l${id}`,
    traceId,
    parentObservationId: record.spanId,
    name: eventNameOf(record) || 'log',
    startTimeUnixNano: record.timeUnixNano,
    level,
    statusMessage,
    input: record.body ?? (hasKeys(record.attributes) ? record.attributes : null),
    metadata,
    rawAttributes: record.attributes,
    resourceAttributes: record.resource,
    scope: { name: record.scope.name, version: record.scope.version },
  });
}

function recordLevel(record: DecodedLogRecord): { level: Level; statusMessage: string | null } {
  const bySeverity = LEVEL_BY_SEVERITY.find(([lowest]) => record.severityNumber >= lowest)?.[1];
  const level = bySeverity ?? parseLevel(record.severityText) ?? 'DEFAULT';
  const type = firstString(record.attributes, [EXCEPTION_TYPE]);
  const message = firstString(record.attributes, [EXCEPTION_MESSAGE]);
  const statusMessage = [type, message].filter(Boolean).join(': ') || null;
  return { level, statusMessage };
}

function hasKeys(attributes: Attributes): boolean {
  for (const _key in attributes) return true;
  return false;
}
