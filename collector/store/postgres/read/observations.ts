/**
 * The PostgreSQL read path for observations: filtered lists, newest first, and one by id,
 * answering as the SQLite engine does (store/sqlite/read/observations.ts).
 */
import type { Pool } from 'pg';
import { DEFAULT_ENVIRONMENT, type ObservationListQuery, type ObservationRecord, type Page } from '../../contract.js';
import { SqlConditions } from './conditions.js';
import { OBSERVATION_COLUMNS, toObservationRecord, type ObservationRow } from './rows.js';
import { inSnapshot } from './snapshot.js';
import { addEqualConditions, addStartRange, OBSERVATION_EQUAL_COLUMNS } from '../../column-conditions.js';

type ObservationWithEnvironment = ObservationRow & { environment: string | null };

const FROM_OBSERVATIONS = `FROM observations o
  LEFT JOIN traces t ON t.project_id = o.project_id AND t.id = o.trace_id`;

export interface ObservationReads {
  listObservations(projectId: string, query: ObservationListQuery): Promise<Page<ObservationRecord>>;
  getObservation(projectId: string, observationId: string): Promise<ObservationRecord | null>;
  findObservationTraceId(projectId: string, observationId: string): Promise<string | null>;
}

export function createObservationReads(pool: Pool): ObservationReads {
  /** The observation with this id; when traces share the id (span ids are not unique across traces), the one that started last (of equal starts, the first trace id). */
  async function findById(projectId: string, observationId: string): Promise<ObservationWithEnvironment | undefined> {
    const { rows } = await pool.query<ObservationWithEnvironment>(
      `SELECT ${OBSERVATION_COLUMNS}, t.environment ${FROM_OBSERVATIONS}
       WHERE o.project_id = $1 AND o.id = $2 ORDER BY o.start_time_ns DESC, o.trace_id COLLATE "C" LIMIT 1`,
      [projectId, observationId],
    );
    return rows[0];
  }

  async function listObservations(projectId: string, query: ObservationListQuery): Promise<Page<ObservationRecord>> {
    const c = observationConditions(projectId, query);
    const filtered = c.params.length > 1;
    return inSnapshot(pool, async (client) => {
      const counted = filtered
        ? await client.query<{ n: string }>(`SELECT count(*) AS n FROM observations o WHERE ${c.sql}`, c.params)
        : await client.query<{ n: string }>(`SELECT coalesce(sum(observation_count), 0) AS n FROM daily_usage WHERE project_id = $1`, [projectId]);
      const totalItems = Number(counted.rows[0]!.n);
      const limit = c.bind(query.limit);
      const offset = c.bind((query.page - 1) * query.limit);
      const { rows } = await client.query<ObservationWithEnvironment>(
        `SELECT ${OBSERVATION_COLUMNS}, t.environment ${FROM_OBSERVATIONS} WHERE ${c.sql}
         ORDER BY o.start_time_ns DESC, o.id COLLATE "C" DESC, o.trace_id COLLATE "C" DESC LIMIT ${limit} OFFSET ${offset}`,
        c.params,
      );
      return {
        data: rows.map((row) => toObservationRecord(row, row.environment ?? DEFAULT_ENVIRONMENT)),
        meta: { page: query.page, limit: query.limit, totalItems, totalPages: Math.ceil(totalItems / query.limit) },
      };
    });
  }

  return {
    listObservations,
    async getObservation(projectId, observationId) {
      const row = await findById(projectId, observationId);
      return row ? toObservationRecord(row, row.environment ?? DEFAULT_ENVIRONMENT) : null;
    },
    async findObservationTraceId(projectId, observationId) {
      return (await findById(projectId, observationId))?.trace_id ?? null;
    },
  };
}

function observationConditions(projectId: string, query: ObservationListQuery): SqlConditions {
  const c = new SqlConditions(projectId).add('o.project_id = $1');
  if (query.traceId !== undefined) c.add(`o.trace_id = ${c.bind(query.traceId)}`);
  addEqualConditions(c, query, OBSERVATION_EQUAL_COLUMNS);
  addStartRange(c, query, 'o.start_time_ns');
  if (query.userId !== undefined) {
    c.add(`o.trace_id IN (SELECT tu.id FROM traces tu WHERE tu.project_id = $1 AND tu.user_id = ${c.bind(query.userId)})`);
  }
  if (query.environments?.length) {
    c.add(`o.trace_id IN (SELECT te.id FROM traces te WHERE te.project_id = $1 AND te.environment = ANY(${c.bind(query.environments)}::text[]))`);
  }
  return c;
}
