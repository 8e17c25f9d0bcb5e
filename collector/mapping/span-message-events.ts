/**
 * Chat content that instrumentations attach to the span as span events rather than attributes:
 *
 * - per-message events (semconv 1.28-1.36, e.g. Semantic Kernel): `gen_ai.system.message`,
 *   `gen_ai.user.message`, `gen_ai.assistant.message`, `gen_ai.tool.message` -> input messages;
 *   `gen_ai.choice` -> output messages. The attributes are the event body.
 * - `gen_ai.client.inference.operation.details` (semconv 1.37+): the same attributes as a span's
 *   `gen_ai.input.messages` / `gen_ai.output.messages` / `gen_ai.system_instructions`.
 * - `gen_ai.content.prompt` / `gen_ai.content.completion` (semconv <= 1.27, OpenLit): the
 *   `gen_ai.prompt` / `gen_ai.completion` attribute, or the whole attribute set.
 *
 * Events whose content becomes the input or output are not also kept as EVENT observations.
 * Messages have the same shape as the ones joined from log records (see log-records).
 */
import type { Attributes, AttributeValue, DecodedEvent } from '../decode/span.js';
import type { JsonValue } from '../model.js';
import * as events from '../../semconv/gen-ai-events.js';
import * as genAi from '../../semconv/gen-ai.js';
import { parseJsonLoosely } from './attribute-readers.js';

/** Content read from span events, with the positions (in `span.events`) of the events it came from. */
export interface EventField<T> {
  value: T;
  events: number[];
}

/** What the span's events say about its input and output. */
export interface EventContent {
  /** Request messages from per-message events, in event order. */
  inputMessages?: EventField<JsonValue[]>;
  /** Choice messages from `gen_ai.choice` events, in event order. */
  outputMessages?: EventField<JsonValue[]>;
  /** Attributes of the operation-details event, read like span attributes. */
  operationDetails?: EventField<Attributes>;
  /** `gen_ai.content.prompt` / `.completion` (deprecated) content. */
  legacyPrompt?: EventField<JsonValue>;
  legacyCompletion?: EventField<JsonValue>;
}

const NO_CONTENT: EventContent = {};

/** Request-message event name -> the role it implies. Add a row for a new event name. */
const REQUEST_MESSAGE_ROLES: ReadonlyMap<string, string> = new Map([
  [events.GEN_AI_SYSTEM_MESSAGE_EVENT, 'system'],
  [events.GEN_AI_USER_MESSAGE_EVENT, 'user'],
  [events.GEN_AI_ASSISTANT_MESSAGE_EVENT, 'assistant'],
  [events.GEN_AI_TOOL_MESSAGE_EVENT, 'tool'],
]);

/** Event attributes holding JSON text that reads better parsed. */
const JSON_TEXT_FIELDS: ReadonlySet<string> = new Set(['message', 'tool_calls', 'content']);

/**
 * The content the span's events carry. Which of it becomes input or output is decided by the
 * content sources (see content); only the events actually used are kept from the EVENT list.
 */
export function readEventContent(spanEvents: readonly DecodedEvent[]): EventContent {
  if (spanEvents.length === 0) return NO_CONTENT;
  let content: EventContent | undefined;
  spanEvents.forEach((event, index) => {
    const role = REQUEST_MESSAGE_ROLES.get(event.name);
    if (role !== undefined) {
      content ??= {};
      append((content.inputMessages ??= { value: [], events: [] }), requestMessage(event.attributes, role), index);
    } else if (event.name === events.GEN_AI_CHOICE_EVENT) {
      content ??= {};
      append((content.outputMessages ??= { value: [], events: [] }), choiceMessage(event.attributes), index);
    } else if (event.name === events.GEN_AI_CLIENT_INFERENCE_OPERATION_DETAILS_EVENT) {
      (content ??= {}).operationDetails = { value: event.attributes, events: [index] };
    } else if (event.name === genAi.GEN_AI_CONTENT_PROMPT_EVENT) {
      (content ??= {}).legacyPrompt = { value: contentOf(event.attributes, genAi.GEN_AI_PROMPT), events: [index] };
    } else if (event.name === genAi.GEN_AI_CONTENT_COMPLETION_EVENT) {
      (content ??= {}).legacyCompletion = { value: contentOf(event.attributes, genAi.GEN_AI_COMPLETION), events: [index] };
    }
  });
  return content ?? NO_CONTENT;
}

function append(field: EventField<JsonValue[]>, message: JsonValue, index: number): void {
  field.value.push(message);
  field.events.push(index);
}

/** `{ role, ...attributes }`; a role sent in the attributes wins over the event name's. */
function requestMessage(attributes: Attributes, role: string): JsonValue {
  const body = parsedFields(attributes);
  const sentRole = body['role'];
  return { ...body, role: typeof sentRole === 'string' && sentRole !== '' ? sentRole : role };
}

/** `{ index, finish_reason, message: {...} }` -> `{ role, content, tool_calls, index, finish_reason }`. */
function choiceMessage(attributes: Attributes): JsonValue {
  const { message, ...rest } = parsedFields(attributes);
  const inner = message !== null && typeof message === 'object' && !Array.isArray(message) ? message : {};
  const role = typeof inner['role'] === 'string' && inner['role'] !== '' ? inner['role'] : 'assistant';
  return { ...inner, role, ...rest };
}

function parsedFields(attributes: Attributes): Record<string, JsonValue> {
  const fields: Record<string, JsonValue> = {};
  for (const key in attributes) {
    const value = attributes[key] as AttributeValue;
    fields[key] = typeof value === 'string' && JSON_TEXT_FIELDS.has(key) ? parseJsonLoosely(value) : value;
  }
  return fields;
}

function contentOf(attributes: Attributes, key: string): JsonValue {
  const value = attributes[key];
  if (value === undefined || value === null || value === '') return attributes;
  return typeof value === 'string' ? parseJsonLoosely(value) : value;
}
