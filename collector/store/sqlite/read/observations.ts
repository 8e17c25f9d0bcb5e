/** The SQLite read path for observations: filtered lists, newest first, and one by id. */
import type { Database } from 'better-sqlite3';
import { addEqualConditions, addStartRange, OBSERVATION_EQUAL_COLUMNS } from '../../column-conditions.js';
import { DEFAULT_ENVIRONMENT, type ObservationListQuery, type ObservationRecord, type Page } from '../../contract.js';
import { SqlConditions } from './conditions.js';
import { StatementCache } from '../statement-cache.js';
import { OBSERVATION_COLUMNS, toObservationRecord, type ObservationRow } from './rows.js';
import type { ObservationIdIndex } from '../search/observation-ids.js';
import { traceKeyOf } from '../write/trace-keys.js';

type ObservationWithEnvironment = ObservationRow & { environment: string | null };

const FROM_OBSERVATIONS = `FROM observations o
  LEFT JOIN traces t ON t.project_id = o.project_id AND t.id = o.trace_id`;

export interface ObservationReads {
  listObservations(projectId: string, query: ObservationListQuery): Page<ObservationRecord>;
  getObservation(projectId: string, observationId: string): ObservationRecord | null;
  findObservationTraceId(projectId: string, observationId: string): string | null;
}

export function createObservationReads(db: Database, observationIds: ObservationIdIndex): ObservationReads {
  const statements = new StatementCache(db);
  const selectByKey = db
    .prepare(
      `SELECT ${OBSERVATION_COLUMNS}, t.environment ${FROM_OBSERVATIONS}
       WHERE o.project_id = @projectId AND o.trace_key = ${traceKeyOf('@projectId', '@traceId')} AND o.id = @observationId`,
    )
    .safeIntegers(true);
  const countAll = db
    .prepare(`SELECT coalesce(sum(observation_count), 0) AS n FROM daily_usage WHERE project_id = ?`)
    .safeIntegers(true);

  /** The observation with this id; when traces share the id (span ids are not unique across traces), the one that started last. */
  function findById(projectId: string, observationId: string): ObservationWithEnvironment | undefined {
    let newest: ObservationWithEnvironment | undefined;
    for (const traceId of observationIds.candidateTraceIds(projectId, observationId)) {
      const row = selectByKey.get({ projectId, traceId, observationId }) as ObservationWithEnvironment | undefined;
      if (row && (newest === undefined || row.start_time_ns > newest.start_time_ns)) newest = row;
    }
    return newest;
  }

  function listObservations(projectId: string, query: ObservationListQuery): Page<ObservationRecord> {
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
      data: rows.map((row) => toObservationRecord(row, row.environment ?? DEFAULT_ENVIRONMENT)),
      meta: { page: query.page, limit: query.limit, totalItems, totalPages: Math.ceil(totalItems / query.limit) },
    };
  }

  return {
    listObservations,
    getObservation(projectId, observationId) {
      const row = findById(projectId, observationId);
      return row ? toObservationRecord(row, row.environment ?? DEFAULT_ENVIRONMENT) : null;
    },
    findObservationTraceId(projectId, observationId) {
      return findById(projectId, observationId)?.trace_id ?? null;
    },
  };
}

function observationConditions(projectId: string, query: ObservationListQuery): SqlConditions {
  const c = new SqlConditions(projectId).add('o.project_id = @projectId');
  if (query.traceId !== undefined) c.add(`o.trace_key = ${traceKeyOf('@projectId', c.bind(query.traceId))}`);
  addEqualConditions(c, query, OBSERVATION_EQUAL_COLUMNS);
  addStartRange(c, query, 'o.start_time_ns');
  if (query.userId !== undefined) {
    c.add(`o.trace_key IN (SELECT ${traceKeyOf('tu.project_id', 'tu.id')} FROM traces tu WHERE tu.project_id = @projectId AND tu.user_id = ${c.bind(query.userId)})`);
  }
  if (query.environments?.length) {
    c.add(`o.trace_key IN (SELECT ${traceKeyOf('te.project_id', 'te.id')} FROM traces te WHERE te.project_id = @projectId
      AND te.environment IN ${c.bindList(query.environments)})`);
  }
  return c;
}
