/**
 * Sessions and users, read from their rollups (`session_stats`, `user_stats`, kept by the batch
 * writer, a session's environment being its first trace's): a page of them costs a page of rows,
 * however many traces they sum.
 *
 * Ids order as bytes (COLLATE "C"), as SQLite orders text, whatever the database's collation.
 */
import type { Pool } from 'pg';
import type { Page, SessionDetailRecord, SessionListQuery, SessionRecord, UserListQuery, UserRecord } from '../../contract.js';
import { pageMeta, SqlConditions } from './conditions.js';
import { toSessionRecord, toUserRecord, USER_ORDER_COLUMNS, type SessionStatsRow as StoredSessionStats, type StatsRow as StoredStats } from '../../record-rows.js';
import { TRACE_COLUMNS, toTraceRecord, type PostgresColumns, type TraceRow } from './rows.js';
import { inSnapshot } from './snapshot.js';

type StatsRow = StoredStats<PostgresColumns>;
type SessionStatsRow = StoredSessionStats<PostgresColumns>;

const STATS_COLUMNS = `s.trace_count, s.first_start_ns, s.last_start_ns, s.input_tokens, s.output_tokens, s.total_tokens, s.total_cost`;

export interface SessionReads {
  listSessions(projectId: string, query: SessionListQuery): Promise<Page<SessionRecord>>;
  getSession(projectId: string, sessionId: string): Promise<SessionDetailRecord | null>;
  listUsers(projectId: string, query: UserListQuery): Promise<Page<UserRecord>>;
  getUser(projectId: string, userId: string): Promise<UserRecord | null>;
}

export function createSessionReads(pool: Pool): SessionReads {
  return {
    listSessions: (projectId, query) =>
      inSnapshot(pool, async (client) => {
        const c = new SqlConditions(projectId).add('s.project_id = $1');
        if (query.fromTimeUnixNano !== undefined) c.add(`s.first_start_ns >= ${c.bind(query.fromTimeUnixNano)}`);
        if (query.toTimeUnixNano !== undefined) c.add(`s.first_start_ns < ${c.bind(query.toTimeUnixNano)}`);
        if (query.environments?.length) c.add(`s.environment ${c.anyText(query.environments)}`);
        const count = await client.query<{ n: string }>(`SELECT count(*) AS n FROM session_stats s WHERE ${c.sql}`, c.params);
        const page = c.paged(query);
        const rows = await client.query<SessionStatsRow>(
          `SELECT s.session_id AS id, s.environment, ${STATS_COLUMNS} FROM session_stats s
           WHERE ${c.sql} ORDER BY s.first_start_ns DESC, s.session_id COLLATE "C" DESC ${page.sql}`,
          page.params,
        );
        return { data: rows.rows.map(toSessionRecord), meta: pageMeta(query, Number(count.rows[0]!.n)) };
      }),

    getSession: (projectId, sessionId) =>
      inSnapshot(pool, async (client) => {
        const stats = await client.query<SessionStatsRow>(
          `SELECT s.session_id AS id, s.environment, ${STATS_COLUMNS} FROM session_stats s WHERE s.project_id = $1 AND s.session_id = $2`,
          [projectId, sessionId],
        );
        const row = stats.rows[0];
        if (!row) return null;
        const traces = await client.query<TraceRow>(
          `SELECT ${TRACE_COLUMNS} FROM traces t WHERE t.project_id = $1 AND t.session_id = $2
           ORDER BY t.start_time_ns, t.id COLLATE "C"`,
          [projectId, sessionId],
        );
        return { ...toSessionRecord(row), traces: traces.rows.map(toTraceRecord) };
      }),

    listUsers: (projectId, query) =>
      inSnapshot(pool, async (client) => {
        const column = `s.${USER_ORDER_COLUMNS[query.orderBy.field]}`;
        const dir = query.orderBy.direction === 'asc' ? 'ASC' : 'DESC';
        const c = new SqlConditions(projectId).add('s.project_id = $1');
        const count = await client.query<{ n: string }>(`SELECT count(*) AS n FROM user_stats s WHERE ${c.sql}`, c.params);
        const page = c.paged(query);
        const rows = await client.query<StatsRow>(
          `SELECT s.user_id AS id, ${STATS_COLUMNS} FROM user_stats s WHERE ${c.sql}
           ORDER BY ${column} ${dir}, s.user_id COLLATE "C" ${dir} ${page.sql}`,
          page.params,
        );
        return { data: rows.rows.map(toUserRecord), meta: pageMeta(query, Number(count.rows[0]!.n)) };
      }),

    async getUser(projectId, userId) {
      const result = await pool.query<StatsRow>(
        `SELECT s.user_id AS id, ${STATS_COLUMNS} FROM user_stats s WHERE s.project_id = $1 AND s.user_id = $2`,
        [projectId, userId],
      );
      return result.rows[0] ? toUserRecord(result.rows[0]) : null;
    },
  };
}
