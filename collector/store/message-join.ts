/**
 * The engine-agnostic part of the GenAI log-message join (each engine's write/log-join.ts stores
 * and finds the messages): what a span's messages make of its observation and of its trace.
 *
 * For each direction that has messages, they are the observation's input (request messages) or
 * output (choices), in time order then arrival order, replacing what the span's own attributes
 * gave: an instrumentation sends the content either way, and the records are the full list.
 * A root span's messages also reach the trace's input and output, as a root span's own do.
 */
import type { GenAiMessageRecord } from '../decode/log-record.js';
import type { JsonValue, MappedSpan, TraceContribution, TraceFacts } from '../model.js';

/** A span's stored messages, each direction in time then arrival order; null for a direction with none. */
export interface JoinedMessages {
  input: JsonValue[] | null;
  output: JsonValue[] | null;
  count: number;
}

/** What the join needs of a stored observation. */
export interface JoinedObservation {
  parentObservationId: string | null;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint | null;
}

/** Messages (stored JSON text, in order) split by direction. */
export function joinedMessages(rows: ReadonlyArray<{ direction: string; message: string }>): JoinedMessages {
  const joined: JoinedMessages = { input: null, output: null, count: rows.length };
  for (const row of rows) {
    const message = JSON.parse(row.message) as JsonValue;
    if (row.direction === 'output') (joined.output ??= []).push(message);
    else (joined.input ??= []).push(message);
  }
  return joined;
}

/** Messages grouped by their span, in first-seen order. */
export function groupBySpan(messages: readonly GenAiMessageRecord[]): GenAiMessageRecord[][] {
  const groups = new Map<string, GenAiMessageRecord[]>();
  for (const message of messages) {
    const key = message.traceId + message.spanId;
    const group = groups.get(key);
    if (group) group.push(message);
    else groups.set(key, [message]);
  }
  return [...groups.values()];
}

/** The span with its messages as its observation's input and output (and a root span's trace facts). */
export function withMessages(span: MappedSpan, joined: JoinedMessages): MappedSpan {
  const observation = span.observation!;
  const updated = {
    ...observation,
    input: joined.input ?? observation.input,
    output: joined.output ?? observation.output,
  };
  let trace = span.trace;
  if (trace !== null && observation.parentObservationId === null) {
    trace = { ...trace, implicit: { ...trace.implicit, ...rootFacts(joined) } };
  }
  return { ...span, observation: updated, trace };
}

function rootFacts(joined: JoinedMessages): TraceFacts {
  const facts: TraceFacts = {};
  if (joined.input !== null) facts.input = joined.input;
  if (joined.output !== null) facts.output = joined.output;
  return facts;
}

/**
 * A stored root span's new input/output as an implicit trace fact. Its rank is the span's own rank
 * (`spanRank` in mapping/trace-facts: 20-digit start time, then span id) extended by the message
 * count, so it outranks the span's first contribution and every earlier, shorter message list.
 */
export function rootContribution(
  traceId: string,
  spanId: string,
  stored: JoinedObservation,
  joined: JoinedMessages,
): TraceContribution {
  const spanRank = stored.startTimeUnixNano.toString().padStart(20, '0') + spanId;
  const rank = `${spanRank}~${String(joined.count).padStart(10, '0')}`;
  return {
    traceId,
    rank,
    explicit: {},
    implicit: rootFacts(joined),
    startTimeUnixNano: stored.startTimeUnixNano,
    endTimeUnixNano: stored.endTimeUnixNano ?? stored.startTimeUnixNano,
  };
}
