/**
 * Sessions and users, read from their rollups (`session_stats`, `user_stats`, kept by triggers):
 * a page of them costs a page of rows, however many traces they sum.
 */
import type { Database } from 'better-sqlite3';
import type { Page, SessionDetailRecord, SessionListQuery, SessionRecord, UserListQuery, UserRecord } from '../../contract.js';
import { SqlConditions } from './conditions.js';
import { StatementCache } from '../statement-cache.js';
import { toSessionRecord, toUserRecord, USER_ORDER_COLUMNS, type SessionStatsRow as StoredSessionStats, type StatsRow as StoredStats } from '../../record-rows.js';
import { TRACE_COLUMNS, toTraceRecord, type SqliteColumns, type TraceRow } from './rows.js';

type StatsRow = StoredStats<SqliteColumns>;
type SessionStatsRow = StoredSessionStats<SqliteColumns>;

const STATS_COLUMNS = `trace_count, first_start_ns, last_start_ns, input_tokens, output_tokens, total_tokens, total_cost`;

export interface SessionReads {
  listSessions(projectId: string, query: SessionListQuery): Page<SessionRecord>;
  getSession(projectId: string, sessionId: string): SessionDetailRecord | null;
  listUsers(projectId: string, query: UserListQuery): Page<UserRecord>;
  getUser(projectId: string, userId: string): UserRecord | null;
}

export function createSessionReads(db: Database): SessionReads {
  const statements = new StatementCache(db);
  const selectSession = db
    .prepare(`SELECT session_id AS id, environment, ${STATS_COLUMNS} FROM session_stats WHERE project_id = ? AND session_id = ?`)
    .safeIntegers(true);
  const selectSessionTraces = db
    .prepare(`SELECT ${TRACE_COLUMNS} FROM traces t WHERE t.project_id = ? AND t.session_id = ? ORDER BY t.start_time_ns, t.id`)
    .safeIntegers(true);
  const selectUser = db
    .prepare(`SELECT user_id AS id, ${STATS_COLUMNS} FROM user_stats WHERE project_id = ? AND user_id = ?`)
    .safeIntegers(true);

  return {
    listSessions(projectId, query) {
      const c = new SqlConditions(projectId).add('project_id = @projectId');
      if (query.fromTimeUnixNano !== undefined) c.add(`first_start_ns >= ${c.bind(query.fromTimeUnixNano)}`);
      if (query.toTimeUnixNano !== undefined) c.add(`first_start_ns < ${c.bind(query.toTimeUnixNano)}`);
      if (query.environments?.length) c.add(`environment IN ${c.bindList(query.environments)}`);
      const totalItems = Number((statements.get(`SELECT count(*) AS n FROM session_stats WHERE ${c.sql}`).get(c.params) as { n: bigint }).n);
      const rows = statements
        .get(
          `SELECT session_id AS id, environment, ${STATS_COLUMNS} FROM session_stats WHERE ${c.sql}
           ORDER BY first_start_ns DESC, session_id DESC LIMIT @limit OFFSET @offset`,
        )
        .all({ ...c.params, limit: query.limit, offset: (query.page - 1) * query.limit }) as SessionStatsRow[];
      return {
        data: rows.map(toSessionRecord),
        meta: pageMeta(query, totalItems),
      };
    },

    getSession(projectId, sessionId) {
      const row = selectSession.get(projectId, sessionId) as SessionStatsRow | undefined;
      if (!row) return null;
      const traces = (selectSessionTraces.all(projectId, sessionId) as TraceRow[]).map(toTraceRecord);
      return { ...toSessionRecord(row), traces };
    },

    listUsers(projectId, query) {
      const column = USER_ORDER_COLUMNS[query.orderBy.field];
      const dir = query.orderBy.direction === 'asc' ? 'ASC' : 'DESC';
      const totalItems = Number(
        (statements.get(`SELECT count(*) AS n FROM user_stats WHERE project_id = ?`).get(projectId) as { n: bigint }).n,
      );
      const rows = statements
        .get(
          `SELECT user_id AS id, ${STATS_COLUMNS} FROM user_stats WHERE project_id = @projectId
           ORDER BY ${column} ${dir}, user_id ${dir} LIMIT @limit OFFSET @offset`,
        )
        .all({ projectId, limit: query.limit, offset: (query.page - 1) * query.limit }) as StatsRow[];
      return { data: rows.map(toUserRecord), meta: pageMeta(query, totalItems) };
    },

    getUser(projectId, userId) {
      const row = selectUser.get(projectId, userId) as StatsRow | undefined;
      return row ? toUserRecord(row) : null;
    },
  };
}

function pageMeta(query: { page: number; limit: number }, totalItems: number): Page<never>['meta'] {
  return { page: query.page, limit: query.limit, totalItems, totalPages: Math.ceil(totalItems / query.limit) };
}
