/** The SQLite read path for observations: filtered lists, newest first, and one by id. */
import type { Database } from 'better-sqlite3';
import type { ObservationListQuery } from './query-store.js';
import type { ObservationView, Page } from './views.js';
import { SqlConditions } from './sqlite-conditions.js';
import { StatementCache } from './sqlite-statement-cache.js';
import { DEFAULT_ENVIRONMENT, OBSERVATION_COLUMNS, toObservationView, type ObservationRow } from './sqlite-rows.js';

type ObservationWithEnvironment = ObservationRow & { environment: string | null };

const FROM_OBSERVATIONS = `FROM observations o
  LEFT JOIN traces t ON t.project_id = o.project_id AND t.id = o.trace_id`;

export interface ObservationReads {
  listObservations(projectId: string, query: ObservationListQuery): Page<ObservationView>;
  getObservation(projectId: string, observationId: string): ObservationView | null;
  findObservationTraceId(projectId: string, observationId: string): string | null;
}

export function createObservationReads(db: Database): ObservationReads {
  const statements = new StatementCache(db);
  const selectById = db
    .prepare(`SELECT ${OBSERVATION_COLUMNS}, t.environment ${FROM_OBSERVATIONS}
      WHERE o.project_id = ? AND o.id = ? ORDER BY +o.start_time_ns DESC LIMIT 1`) // + : see sqlite-reads.ts
    .safeIntegers(true);
  const selectTraceId = db.prepare(`SELECT trace_id FROM observations WHERE project_id = ? AND id = ? LIMIT 1`);
  const countAll = db
    .prepare(`SELECT coalesce(sum(observation_count), 0) AS n FROM daily_usage WHERE project_id = ?`)
    .safeIntegers(true);

  function listObservations(projectId: string, query: ObservationListQuery): Page<ObservationView> {
    const c = observationConditions(projectId, query);
    const filtered = c.sql !== 'o.project_id = @projectId';
    const totalItems = Number(
      filtered
        ? (statements.get(`SELECT count(*) AS n FROM observations o WHERE ${c.sql}`).get(c.params) as { n: bigint }).n
        : (countAll.get(projectId) as { n: bigint }).n,
    );
    const rows = statements
      .get(
        `SELECT ${OBSERVATION_COLUMNS}, t.environment ${FROM_OBSERVATIONS} WHERE ${c.sql}
         ORDER BY o.start_time_ns DESC, o.id DESC LIMIT @limit OFFSET @offset`,
      )
      .all({ ...c.params, limit: query.limit, offset: (query.page - 1) * query.limit }) as ObservationWithEnvironment[];
    return {
      data: rows.map((row) => toObservationView(row, row.environment ?? DEFAULT_ENVIRONMENT)),
      meta: { page: query.page, limit: query.limit, totalItems, totalPages: Math.ceil(totalItems / query.limit) },
    };
  }

  return {
    listObservations,
    getObservation(projectId, observationId) {
      const row = selectById.get(projectId, observationId) as ObservationWithEnvironment | undefined;
      return row ? toObservationView(row, row.environment ?? DEFAULT_ENVIRONMENT) : null;
    },
    findObservationTraceId(projectId, observationId) {
      const row = selectTraceId.get(projectId, observationId) as { trace_id: string } | undefined;
      return row?.trace_id ?? null;
    },
  };
}

function observationConditions(projectId: string, query: ObservationListQuery): SqlConditions {
  const c = new SqlConditions(projectId).add('o.project_id = @projectId');
  const equal = (column: string, value: string | undefined) => {
    if (value !== undefined) c.add(`${column} = ${c.bind(value)}`);
  };
  equal('o.trace_id', query.traceId);
  equal('o.type', query.type);
  equal('o.name', query.name);
  equal('o.level', query.level);
  equal('o.model', query.model);
  equal('o.parent_observation_id', query.parentObservationId);
  if (query.fromTimeUnixNano !== undefined) c.add(`o.start_time_ns >= ${c.bind(query.fromTimeUnixNano)}`);
  if (query.toTimeUnixNano !== undefined) c.add(`o.start_time_ns < ${c.bind(query.toTimeUnixNano)}`);
  if (query.userId !== undefined) {
    c.add(`o.trace_id IN (SELECT tu.id FROM traces tu WHERE tu.project_id = @projectId AND tu.user_id = ${c.bind(query.userId)})`);
  }
  if (query.environments?.length) {
    c.add(`o.trace_id IN (SELECT te.id FROM traces te WHERE te.project_id = @projectId
      AND te.environment IN ${c.bindList(query.environments)})`);
  }
  return c;
}
