/**
 * Sessions and users, read from their rollups (`session_stats`, `user_stats`, kept by triggers):
 * a page of them costs a page of rows, however many traces they sum.
 */
import type { Database } from 'better-sqlite3';
import type { SessionListQuery, UserListQuery, UserOrderField } from '../../contract.js';
import type { Page, SessionDetail, SessionView, UserView } from '../../views.js';
import { SqlConditions } from './conditions.js';
import { StatementCache } from '../statement-cache.js';
import { isoFromUnixNano, roundUsd, TRACE_COLUMNS, toTraceView, type TraceRow } from './rows.js';

interface StatsRow {
  environment: string;
  trace_count: bigint;
  first_start_ns: bigint;
  last_start_ns: bigint;
  input_tokens: bigint;
  output_tokens: bigint;
  total_tokens: bigint;
  total_cost: number;
}

const STATS_COLUMNS = `environment, trace_count, first_start_ns, last_start_ns, input_tokens, output_tokens,
  total_tokens, total_cost`;

const USER_ORDER_COLUMNS: Record<UserOrderField, string> = {
  lastTraceAt: 'last_start_ns',
  firstTraceAt: 'first_start_ns',
  countTraces: 'trace_count',
  totalCost: 'total_cost',
};

export interface SessionReads {
  listSessions(projectId: string, query: SessionListQuery): Page<SessionView>;
  getSession(projectId: string, sessionId: string): SessionDetail | null;
  listUsers(projectId: string, query: UserListQuery): Page<UserView>;
  getUser(projectId: string, userId: string): UserView | null;
}

export function createSessionReads(db: Database): SessionReads {
  const statements = new StatementCache(db);
  const selectSession = db
    .prepare(`SELECT session_id AS id, ${STATS_COLUMNS} FROM session_stats WHERE project_id = ? AND session_id = ?`)
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
          `SELECT session_id AS id, ${STATS_COLUMNS} FROM session_stats WHERE ${c.sql}
           ORDER BY first_start_ns DESC, session_id DESC LIMIT @limit OFFSET @offset`,
        )
        .all({ ...c.params, limit: query.limit, offset: (query.page - 1) * query.limit }) as Array<StatsRow & { id: string }>;
      return {
        data: rows.map((row) => toSessionView(projectId, row)),
        meta: pageMeta(query, totalItems),
      };
    },

    getSession(projectId, sessionId) {
      const row = selectSession.get(projectId, sessionId) as (StatsRow & { id: string }) | undefined;
      if (!row) return null;
      const traces = (selectSessionTraces.all(projectId, sessionId) as TraceRow[]).map(toTraceView);
      return { ...toSessionView(projectId, row), traces };
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
        .all({ projectId, limit: query.limit, offset: (query.page - 1) * query.limit }) as Array<StatsRow & { id: string }>;
      return { data: rows.map(toUserView), meta: pageMeta(query, totalItems) };
    },

    getUser(projectId, userId) {
      const row = selectUser.get(projectId, userId) as (StatsRow & { id: string }) | undefined;
      return row ? toUserView(row) : null;
    },
  };
}

function pageMeta(query: { page: number; limit: number }, totalItems: number): Page<never>['meta'] {
  return { page: query.page, limit: query.limit, totalItems, totalPages: Math.ceil(totalItems / query.limit) };
}

function aggregates(row: StatsRow) {
  return {
    countTraces: Number(row.trace_count),
    firstTraceAt: isoFromUnixNano(row.first_start_ns),
    lastTraceAt: isoFromUnixNano(row.last_start_ns),
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    totalTokens: Number(row.total_tokens),
    totalCost: roundUsd(row.total_cost),
  };
}

function toSessionView(projectId: string, row: StatsRow & { id: string }): SessionView {
  return {
    id: row.id,
    createdAt: isoFromUnixNano(row.first_start_ns),
    projectId,
    environment: row.environment,
    ...aggregates(row),
  };
}

function toUserView(row: StatsRow & { id: string }): UserView {
  return { userId: row.id, ...aggregates(row) };
}
