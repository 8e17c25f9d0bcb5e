/**
 * Scores carried by spans: upserted on the client's id, so a re-sent score replaces itself. Of
 * two with one id in a batch, the later wins, as if written one after the other.
 */
import type { PoolClient } from 'pg';
import type { Score } from '../../../model.js';
import { insertRows } from './multi-row.js';
import { jsonb, text } from './values.js';

const INSERT = `
  INSERT INTO scores (
    project_id, id, trace_id, observation_id, name, value, string_value, data_type, comment, source,
    time_ns, metadata, created_at_ms, updated_at_ms
  )`;
const ON_CONFLICT = `
  ON CONFLICT (project_id, id) DO UPDATE SET
    trace_id = excluded.trace_id, observation_id = excluded.observation_id, name = excluded.name,
    value = excluded.value, string_value = excluded.string_value, data_type = excluded.data_type,
    comment = excluded.comment, source = excluded.source, time_ns = excluded.time_ns,
    metadata = excluded.metadata, updated_at_ms = excluded.updated_at_ms`;

export async function upsertScores(client: PoolClient, projectId: string, scores: readonly Score[], nowMs: number): Promise<void> {
  // One statement cannot update a row twice: the last score of each id stands for the others.
  const last = new Map<string, Score>();
  for (const score of scores) {
    last.delete(score.id);
    last.set(score.id, score);
  }
  // In id order: transactions upserting the same scores lock their rows in one order.
  const ordered = [...last.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const rows = ordered.map((s) => [
    text(projectId),
    text(s.id),
    text(s.traceId),
    text(s.observationId),
    text(s.name),
    s.value,
    text(s.stringValue),
    s.dataType,
    text(s.comment),
    s.source,
    s.timeUnixNano,
    jsonb(s.metadata),
    nowMs,
    nowMs,
  ]);
  await insertRows(client, INSERT, rows, ON_CONFLICT);
}
