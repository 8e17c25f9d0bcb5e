/**
 * Joins the chat messages that GenAI instrumentations send as log records to their span's
 * observation, whichever of the two arrives first.
 *
 * Every message is kept in `gen_ai_log_messages`, the source of the input and output it gives.
 * A message whose span is not stored yet waits there (`waiting = 1`), and the spans waited for
 * are also held in memory (loaded at open): the check on the span write path is one Set lookup,
 * and a size test while nothing waits. When the span arrives its messages fill its observation
 * before the observation is written; a message arriving after its span updates the stored row.
 * What the messages make of the observation and its trace is store/message-join.ts.
 */
import { traceKeyOf } from './trace-keys.js';
import type { Database } from 'better-sqlite3';
import type { GenAiMessageRecord } from '../../../decode/log-record.js';
import type { MappedSpan, TraceContribution } from '../../../model.js';
import { toJson } from '../json-columns.js';
import { groupBySpan, joinedMessages as splitMessages, rootContribution, withMessages, type JoinedMessages } from '../../message-join.js';

export interface LogJoin {
  /** The span with the messages waiting for it applied; the span itself when none wait. */
  withWaitingMessages(projectId: string, span: MappedSpan): MappedSpan;
  /**
   * Stores messages: those whose span is stored update its observation at once (the returned
   * contributions carry a root span's new input/output to its trace); the others wait.
   */
  writeMessages(projectId: string, messages: readonly GenAiMessageRecord[]): TraceContribution[];
  /** Re-reads which spans have messages waiting: after a rollback, memory may disagree. */
  resync(): void;
}

interface StoredObservationRow {
  parent_observation_id: string | null;
  start_time_ns: bigint;
  end_time_ns: bigint | null;
}

export function createLogJoin(db: Database): LogJoin {
  const statements = prepareStatements(db);
  let waiting = loadWaiting();
  let arrival = Number((statements.maxArrival.get() as { n: number | null }).n ?? 0);

  function loadWaiting(): Set<string> {
    const rows = statements.selectWaitingSpans.all() as Array<{
      project_id: string;
      trace_id: string;
      span_id: string;
    }>;
    return new Set(rows.map((row) => waitKey(row.project_id, row.trace_id, row.span_id)));
  }

  function joinedMessages(projectId: string, traceId: string, spanId: string): JoinedMessages {
    return splitMessages(statements.selectMessages.all(projectId, traceId, spanId) as Array<{ direction: string; message: string }>);
  }

  return {
    withWaitingMessages(projectId, span) {
      const observation = span.observation;
      if (waiting.size === 0 || observation === null) return span;
      const key = waitKey(projectId, observation.traceId, observation.id);
      if (!waiting.has(key)) return span;
      waiting.delete(key);
      statements.markJoined.run(projectId, observation.traceId, observation.id);
      return withMessages(span, joinedMessages(projectId, observation.traceId, observation.id));
    },

    writeMessages(projectId, messages) {
      const contributions: TraceContribution[] = [];
      for (const group of groupBySpan(messages)) {
        const { traceId, spanId } = group[0]!;
        const stored = statements.selectObservation.get({ projectId, traceId, spanId }) as
          | StoredObservationRow
          | undefined;
        let added = 0;
        const waitingFlag = stored === undefined ? 1 : 0;
        for (const m of group) {
          const message = JSON.stringify(m.message);
          added += statements.insertMessage.run(
            projectId, traceId, spanId, m.id, m.direction, m.timeUnixNano, ++arrival, message, waitingFlag,
          ).changes;
        }
        if (added === 0) continue; // a re-sent export: nothing new
        if (stored === undefined) {
          waiting.add(waitKey(projectId, traceId, spanId));
          continue;
        }
        const joined = joinedMessages(projectId, traceId, spanId);
        statements.updateObservation.run({ input: toJson(joined.input), output: toJson(joined.output), projectId, traceId, spanId });
        if (stored.parent_observation_id === null) {
          const observation = {
            parentObservationId: stored.parent_observation_id,
            startTimeUnixNano: stored.start_time_ns,
            endTimeUnixNano: stored.end_time_ns,
          };
          contributions.push(rootContribution(traceId, spanId, observation, joined));
        }
      }
      return contributions;
    },

    resync() {
      waiting = loadWaiting();
    },
  };
}

function waitKey(projectId: string, traceId: string, spanId: string): string {
  return `${projectId}\n${traceId}${spanId}`;
}

function prepareStatements(db: Database) {
  return {
    maxArrival: db.prepare(`SELECT max(arrival) AS n FROM gen_ai_log_messages`),
    selectWaitingSpans: db.prepare(
      `SELECT DISTINCT project_id, trace_id, span_id FROM gen_ai_log_messages WHERE waiting = 1`,
    ),
    selectMessages: db.prepare(`
      SELECT direction, message FROM gen_ai_log_messages
      WHERE project_id = ? AND trace_id = ? AND span_id = ? ORDER BY time_ns, arrival`),
    insertMessage: db.prepare(`
      INSERT INTO gen_ai_log_messages (project_id, trace_id, span_id, id, direction, time_ns, arrival, message, waiting)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`),
    markJoined: db.prepare(`
      UPDATE gen_ai_log_messages SET waiting = 0
      WHERE project_id = ? AND trace_id = ? AND span_id = ? AND waiting = 1`),
    selectObservation: db
      .prepare(`
        SELECT parent_observation_id, start_time_ns, end_time_ns FROM observations
        WHERE project_id = @projectId AND trace_key = ${traceKeyOf('@projectId', '@traceId')} AND id = @spanId`)
      .safeIntegers(true),
    updateObservation: db.prepare(`
      UPDATE observations SET input = coalesce(@input, input), output = coalesce(@output, output)
      WHERE project_id = @projectId AND trace_key = ${traceKeyOf('@projectId', '@traceId')} AND id = @spanId`),
  };
}
