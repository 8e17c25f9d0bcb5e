/**
 * Scores through the API: filtered lists, one by id, upsert on the client's id, delete. An upsert
 * takes its trace's advisory lock as the batch writer does (write/trace-locks.ts), so it and a
 * batch writing the same score follow one another.
 */
import type { Pool } from 'pg';
import type { Score } from '../../../model.js';
import { DEFAULT_ENVIRONMENT, type Page, type ScoreListQuery, type ScoreListRecord, type ScoreRecord } from '../../contract.js';
import { upsertScores } from '../write/scores.js';
import { recordScoreTraces } from '../write/score-traces.js';
import { lockTraces } from '../write/trace-locks.js';
import { pageMeta, SqlConditions } from './conditions.js';
import { SCORE_COLUMNS, toScoreRecord, type ScoreRow } from './rows.js';
import { inTransaction } from '../upkeep/transaction.js';
import { inSnapshot } from './snapshot.js';

type ScoreWithTrace = ScoreRow & { trace_user_id: string | null; trace_tags: string[] | null; trace_environment: string | null };

const FROM_SCORES = `FROM scores s LEFT JOIN traces t ON t.project_id = s.project_id AND t.id = s.trace_id`;
const TRACE_FACTS = `t.user_id AS trace_user_id, t.tags AS trace_tags, t.environment AS trace_environment`;

export interface ScoreStore {
  listScores(projectId: string, query: ScoreListQuery): Promise<Page<ScoreListRecord>>;
  getScore(projectId: string, scoreId: string): Promise<ScoreRecord | null>;
  upsertScore(projectId: string, score: Score): Promise<void>;
  deleteScore(projectId: string, scoreId: string): Promise<boolean>;
}

export function createScoreStore(pool: Pool, now: () => number = Date.now): ScoreStore {
  return {
    listScores: (projectId, query) =>
      inSnapshot(pool, async (client) => {
        const c = scoreConditions(projectId, query);
        const count = await client.query<{ n: string }>(`SELECT count(*) AS n FROM scores s WHERE ${c.sql}`, c.params);
        const page = c.paged(query);
        const rows = await client.query<ScoreWithTrace>(
          `SELECT ${SCORE_COLUMNS}, ${TRACE_FACTS} ${FROM_SCORES} WHERE ${c.sql}
           ORDER BY s.time_ns DESC, s.id COLLATE "C" DESC ${page.sql}`,
          page.params,
        );
        return { data: rows.rows.map(toScoreListRecord), meta: pageMeta(query, Number(count.rows[0]!.n)) };
      }),

    async getScore(projectId, scoreId) {
      const result = await pool.query<ScoreWithTrace>(
        `SELECT ${SCORE_COLUMNS}, ${TRACE_FACTS} ${FROM_SCORES} WHERE s.project_id = $1 AND s.id = $2`,
        [projectId, scoreId],
      );
      const row = result.rows[0];
      return row ? toScoreRecord(row, row.trace_environment ?? DEFAULT_ENVIRONMENT) : null;
    },

    upsertScore: (projectId, score) =>
      inTransaction(pool, async (client) => {
        await lockTraces(client, [{ projectId, traceId: score.traceId }]);
        await upsertScores(client, projectId, [score], now());
        await recordScoreTraces(client, projectId, [score], []);
      }),

    async deleteScore(projectId, scoreId) {
      const result = await pool.query(`DELETE FROM scores WHERE project_id = $1 AND id = $2`, [projectId, scoreId]);
      return (result.rowCount ?? 0) > 0;
    },
  };
}

function scoreConditions(projectId: string, query: ScoreListQuery): SqlConditions {
  const c = new SqlConditions(projectId).add('s.project_id = $1');
  const equal = (column: string, value: string | undefined) => {
    if (value !== undefined) c.add(`${column} = ${c.bind(value)}`);
  };
  if (query.ids?.length) c.add(`s.id ${c.anyText(query.ids)}`);
  equal('s.name', query.name);
  equal('s.trace_id', query.traceId);
  equal('s.observation_id', query.observationId);
  equal('s.source', query.source);
  equal('s.data_type', query.dataType);
  if (query.minValue !== undefined) c.add(`s.value >= ${c.bind(query.minValue)}::float8`);
  if (query.maxValue !== undefined) c.add(`s.value <= ${c.bind(query.maxValue)}::float8`);
  if (query.valueCondition) {
    // The operator is one of a closed set (COMPARISON_OPERATORS), never text from the request.
    c.add(`s.value ${query.valueCondition.operator} ${c.bind(query.valueCondition.value)}::float8`);
  }
  if (query.fromTimeUnixNano !== undefined) c.add(`s.time_ns >= ${c.bind(query.fromTimeUnixNano)}`);
  if (query.toTimeUnixNano !== undefined) c.add(`s.time_ns < ${c.bind(query.toTimeUnixNano)}`);
  if (query.userId !== undefined) {
    c.add(`s.trace_id IN (SELECT tu.id FROM traces tu WHERE tu.project_id = $1 AND tu.user_id = ${c.bind(query.userId)})`);
  }
  if (query.sessionId !== undefined) {
    c.add(`s.trace_id IN (SELECT ts.id FROM traces ts WHERE ts.project_id = $1 AND ts.session_id = ${c.bind(query.sessionId)})`);
  }
  return c;
}

function toScoreListRecord(row: ScoreWithTrace): ScoreListRecord {
  const environment = row.trace_environment ?? DEFAULT_ENVIRONMENT;
  return {
    ...toScoreRecord(row, environment),
    trace: row.trace_environment === null ? null : { userId: row.trace_user_id, tags: row.trace_tags ?? [], environment },
  };
}
