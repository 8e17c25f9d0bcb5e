/** Scores through the API: filtered lists, one by id, upsert on the client's id, delete. */
import type { Database } from 'better-sqlite3';
import type { Score } from '../../../model.js';
import { DEFAULT_ENVIRONMENT, type Page, type ScoreListQuery, type ScoreListRecord, type ScoreRecord } from '../../contract.js';
import { SqlConditions } from './conditions.js';
import { StatementCache } from '../statement-cache.js';
import { SCORE_COLUMNS, toScoreRecord, type ScoreRow } from './rows.js';
import type { ScoreRepeats } from '../write/score-repeats.js';
import { createTraceKeys, traceKeyOf } from '../write/trace-keys.js';

type ScoreWithTrace = ScoreRow & { trace_user_id: string | null; trace_tags: string | null; trace_environment: string | null };

const FROM_SCORES = `FROM scores s LEFT JOIN traces t ON t.project_id = s.project_id AND t.id = s.trace_id`;
const TRACE_FACTS = `t.user_id AS trace_user_id, t.tags AS trace_tags, t.environment AS trace_environment`;

export interface ScoreStore {
  listScores(projectId: string, query: ScoreListQuery): Page<ScoreListRecord>;
  getScore(projectId: string, scoreId: string): ScoreRecord | null;
  upsertScore(projectId: string, score: Score): void;
  deleteScore(projectId: string, scoreId: string): boolean;
}

export function createScoreStore(db: Database, scoreRepeats: ScoreRepeats, now: () => number = Date.now): ScoreStore {
  const statements = new StatementCache(db);
  const selectById = db
    .prepare(`SELECT ${SCORE_COLUMNS}, ${TRACE_FACTS} ${FROM_SCORES} WHERE s.project_id = ? AND s.id = ?`)
    .safeIntegers(true);
  const upsert = db.prepare(`
    INSERT INTO scores (project_id, id, trace_id, trace_key, observation_id, name, value, string_value, data_type, comment,
      source, time_ns, metadata, created_at_ms, updated_at_ms)
    VALUES (@projectId, @id, @traceId, @traceKey, @observationId, @name, @value, @stringValue, @dataType, @comment,
      @source, @timeNs, @metadata, @nowMs, @nowMs)
    ON CONFLICT (project_id, id) DO UPDATE SET
      trace_id = excluded.trace_id, trace_key = excluded.trace_key, observation_id = excluded.observation_id, name = excluded.name,
      value = excluded.value, string_value = excluded.string_value, data_type = excluded.data_type,
      comment = excluded.comment, source = excluded.source, time_ns = excluded.time_ns,
      metadata = excluded.metadata, updated_at_ms = excluded.updated_at_ms`);
  const remove = db.prepare(`DELETE FROM scores WHERE project_id = ? AND id = ?`);
  const traceKeys = createTraceKeys(db);
  const upsertNoted = db.transaction((projectId: string, score: Score) => {
    traceKeys.forget(); // a key given by a transaction that then failed is gone
    upsert.run({
      projectId,
      id: score.id,
      traceId: score.traceId,
      traceKey: traceKeys.keyFor(projectId, score.traceId),
      observationId: score.observationId,
      name: score.name,
      value: score.value,
      stringValue: score.stringValue,
      dataType: score.dataType,
      comment: score.comment,
      source: score.source,
      timeNs: score.timeUnixNano,
      metadata: JSON.stringify(score.metadata),
      nowMs: now(),
    });
    scoreRepeats.noteWritten(projectId, [score]);
  });

  return {
    listScores(projectId, query) {
      const c = scoreConditions(projectId, query);
      const totalItems = Number((statements.get(`SELECT count(*) AS n FROM scores s WHERE ${c.sql}`).get(c.params) as { n: bigint }).n);
      const rows = statements
        .get(
          `SELECT ${SCORE_COLUMNS}, ${TRACE_FACTS} ${FROM_SCORES} WHERE ${c.sql}
           ORDER BY s.time_ns DESC, s.id DESC LIMIT @limit OFFSET @offset`,
        )
        .all({ ...c.params, limit: query.limit, offset: (query.page - 1) * query.limit }) as ScoreWithTrace[];
      return {
        data: rows.map(toScoreListRecord),
        meta: { page: query.page, limit: query.limit, totalItems, totalPages: Math.ceil(totalItems / query.limit) },
      };
    },

    getScore(projectId, scoreId) {
      const row = selectById.get(projectId, scoreId) as ScoreWithTrace | undefined;
      return row ? toScoreRecord(row, row.trace_environment ?? DEFAULT_ENVIRONMENT) : null;
    },

    upsertScore(projectId, score) {
      upsertNoted(projectId, score);
    },

    deleteScore(projectId, scoreId) {
      return remove.run(projectId, scoreId).changes > 0;
    },
  };
}

function scoreConditions(projectId: string, query: ScoreListQuery): SqlConditions {
  const c = new SqlConditions(projectId).add('s.project_id = @projectId');
  const equal = (column: string, value: string | undefined) => {
    if (value !== undefined) c.add(`${column} = ${c.bind(value)}`);
  };
  if (query.ids?.length) c.add(`s.id IN ${c.bindList(query.ids)}`);
  equal('s.name', query.name);
  if (query.traceId !== undefined) c.add(`s.trace_key = ${traceKeyOf('@projectId', c.bind(query.traceId))}`);
  equal('s.observation_id', query.observationId);
  equal('s.source', query.source);
  equal('s.data_type', query.dataType);
  if (query.minValue !== undefined) c.add(`s.value >= ${c.bind(query.minValue)}`);
  if (query.maxValue !== undefined) c.add(`s.value <= ${c.bind(query.maxValue)}`);
  if (query.valueCondition) {
    // The operator is one of a closed set (COMPARISON_OPERATORS), never text from the request.
    c.add(`s.value ${query.valueCondition.operator} ${c.bind(query.valueCondition.value)}`);
  }
  if (query.fromTimeUnixNano !== undefined) c.add(`s.time_ns >= ${c.bind(query.fromTimeUnixNano)}`);
  if (query.toTimeUnixNano !== undefined) c.add(`s.time_ns < ${c.bind(query.toTimeUnixNano)}`);
  if (query.userId !== undefined) {
    c.add(`s.trace_key IN (SELECT ${traceKeyOf('tu.project_id', 'tu.id')} FROM traces tu WHERE tu.project_id = @projectId AND tu.user_id = ${c.bind(query.userId)})`);
  }
  if (query.sessionId !== undefined) {
    c.add(`s.trace_key IN (SELECT ${traceKeyOf('ts.project_id', 'ts.id')} FROM traces ts WHERE ts.project_id = @projectId AND ts.session_id = ${c.bind(query.sessionId)})`);
  }
  return c;
}

function toScoreListRecord(row: ScoreWithTrace): ScoreListRecord {
  const environment = row.trace_environment ?? DEFAULT_ENVIRONMENT;
  return {
    ...toScoreRecord(row, environment),
    trace:
      row.trace_environment === null
        ? null
        : { userId: row.trace_user_id, tags: JSON.parse(row.trace_tags ?? '[]') as string[], environment },
  };
}
