/**
 * Joins the chat messages that GenAI instrumentations send as log records to their span's
 * observation, whichever of the two arrives first, whichever collector receives each.
 *
 * Every message is kept in `gen_ai_log_messages`, the source of the input and output it gives.
 * A message whose span is not stored yet waits there (`waiting`). A span write probes that
 * table's partial index of waiting messages (any collector may have stored them, so no memory
 * of one collector can stand in for it); a message arriving after its span updates the stored
 * row. Both sides run under the trace's advisory lock (trace-locks.ts), so a message and its
 * span written at once by two collectors are joined one after the other, never missed by both.
 * What the messages make of the observation and its trace is store/message-join.ts.
 */
import type { PoolClient } from 'pg';
import type { GenAiMessageRecord } from '../../../decode/log-record.js';
import type { MappedSpan, TraceContribution } from '../../../model.js';
import { groupBySpan, joinedMessages, rootContribution, withMessages, type JoinedMessages } from '../../message-join.js';
import { insertRows } from './multi-row.js';
import { observationKey } from './observations.js';
import { jsonText, text } from './values.js';
import { writeSearchDocuments } from '../search/documents.js';

/**
 * The spans with the messages waiting for them applied, those messages marked joined; each span
 * itself when none wait (one statement when none do).
 */
export async function withWaitingMessages(client: PoolClient, projectId: string, spans: readonly MappedSpan[]): Promise<readonly MappedSpan[]> {
  const observations = spans.flatMap((span) => (span.observation ? [span.observation] : []));
  if (observations.length === 0) return spans;
  const joined = await client.query<{ trace_id: string; span_id: string }>(
    `UPDATE gen_ai_log_messages m SET waiting = false
     FROM unnest($2::text[], $3::text[]) AS k (trace_id, span_id)
     WHERE m.project_id = $1 AND m.trace_id = k.trace_id AND m.span_id = k.span_id AND m.waiting
     RETURNING m.trace_id, m.span_id`,
    [text(projectId), observations.map((o) => text(o.traceId)), observations.map((o) => text(o.id))],
  );
  if (joined.rows.length === 0) return spans;
  const messages = await messagesOf(client, projectId, joined.rows);
  return spans.map((span) => {
    const found = span.observation && messages.get(observationKey(span.observation.traceId, span.observation.id));
    return found ? withMessages(span, found) : span;
  });
}

/**
 * Stores messages: those whose span is stored update its observation at once (the returned
 * contributions carry a root span's new input/output to its trace); the others wait.
 */
export async function writeMessages(
  client: PoolClient,
  projectId: string,
  messages: readonly GenAiMessageRecord[],
): Promise<TraceContribution[]> {
  if (messages.length === 0) return [];
  const groups = groupBySpan(messages);
  const spanIds = groups.map((group) => ({ traceId: group[0]!.traceId, spanId: group[0]!.spanId }));
  const stored = await client.query<{
    trace_id: string; id: string; name: string | null; parent_observation_id: string | null; start_time_ns: string; end_time_ns: string | null;
  }>(
    `SELECT o.trace_id, o.id, o.name, o.parent_observation_id, o.start_time_ns, o.end_time_ns
     FROM unnest($2::text[], $3::text[]) AS k (trace_id, id)
     JOIN observations o ON o.project_id = $1 AND o.trace_id = k.trace_id AND o.id = k.id`,
    [text(projectId), spanIds.map((s) => text(s.traceId)), spanIds.map((s) => text(s.spanId))],
  );
  const storedByKey = new Map(stored.rows.map((row) => [observationKey(row.trace_id, row.id), row]));

  // In group order, each group's in record order: the identity gives arrival in that order.
  const rows = groups.flatMap((group) =>
    group.map((m) => [
      text(projectId), text(m.traceId), text(m.spanId), text(m.id), m.direction, m.timeUnixNano, jsonText(m.message),
      !storedByKey.has(observationKey(m.traceId, m.spanId)),
    ]),
  );
  const added = await insertRows<{ trace_id: string; span_id: string }>(
    client,
    'INSERT INTO gen_ai_log_messages (project_id, trace_id, span_id, id, direction, time_ns, message, waiting)',
    rows,
    'ON CONFLICT DO NOTHING RETURNING trace_id, span_id',
  );
  // Spans stored before their new messages: a re-sent export adds nothing and changes nothing.
  const toUpdate = new Map<string, { trace_id: string; span_id: string }>();
  for (const row of added) {
    const key = observationKey(row.trace_id, row.span_id);
    if (storedByKey.has(key)) toUpdate.set(key, row);
  }
  if (toUpdate.size === 0) return [];

  const joined = await messagesOf(client, projectId, [...toUpdate.values()]);
  const updates = [...joined].map(([key, messagesOfSpan]) => ({ row: storedByKey.get(key)!, messages: messagesOfSpan }));
  await client.query(
    `UPDATE observations o SET input = coalesce(v.input, o.input), output = coalesce(v.output, o.output)
     FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS v (trace_id, id, input, output)
     WHERE o.project_id = $1 AND o.trace_id = v.trace_id AND o.id = v.id`,
    [
      text(projectId),
      updates.map((u) => u.row.trace_id),
      updates.map((u) => u.row.id),
      updates.map((u) => jsonText(u.messages.input)),
      updates.map((u) => jsonText(u.messages.output)),
    ],
  );
  // The new text is searchable under the trace, as SQLite's observations_search_update trigger makes it.
  await writeSearchDocuments(
    client,
    projectId,
    [],
    updates.map(({ row, messages: messagesOfSpan }) => ({
      traceId: row.trace_id,
      id: row.id,
      name: row.name ?? '',
      startTimeUnixNano: BigInt(row.start_time_ns),
      input: messagesOfSpan.input,
      output: messagesOfSpan.output,
    })),
  );
  return updates
    .filter(({ row }) => row.parent_observation_id === null)
    .map(({ row, messages: messagesOfSpan }) =>
      rootContribution(
        row.trace_id,
        row.id,
        {
          parentObservationId: null,
          startTimeUnixNano: BigInt(row.start_time_ns),
          endTimeUnixNano: row.end_time_ns === null ? null : BigInt(row.end_time_ns),
        },
        messagesOfSpan,
      ),
    );
}

/** Every stored message of these spans, by observationKey. */
async function messagesOf(
  client: PoolClient,
  projectId: string,
  spans: ReadonlyArray<{ trace_id: string; span_id: string }>,
): Promise<Map<string, JoinedMessages>> {
  const unique = new Map(spans.map((s) => [observationKey(s.trace_id, s.span_id), s]));
  const result = await client.query<{ trace_id: string; span_id: string; direction: string; message: string }>(
    `SELECT m.trace_id, m.span_id, m.direction, m.message
     FROM unnest($2::text[], $3::text[]) AS k (trace_id, span_id)
     JOIN gen_ai_log_messages m ON m.project_id = $1 AND m.trace_id = k.trace_id AND m.span_id = k.span_id
     ORDER BY m.trace_id, m.span_id, m.time_ns, m.arrival`,
    [text(projectId), [...unique.values()].map((s) => s.trace_id), [...unique.values()].map((s) => s.span_id)],
  );
  const rowsBySpan = new Map<string, Array<{ direction: string; message: string }>>();
  for (const row of result.rows) {
    const key = observationKey(row.trace_id, row.span_id);
    let list = rowsBySpan.get(key);
    if (!list) rowsBySpan.set(key, (list = []));
    list.push(row);
  }
  return new Map([...rowsBySpan].map(([key, rows]) => [key, joinedMessages(rows)]));
}
