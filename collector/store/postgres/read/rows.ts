/**
 * Stored PostgreSQL rows -> the store's records (store/record-rows.ts, shared with SQLite):
 * node-postgres reads BIGINT as a decimal string, BOOLEAN as boolean, JSONB as parsed JSON and
 * TEXT[] as an array.
 */
import type * as stored from '../../record-rows.js';
import { recordConverters } from '../../record-rows.js';

export {
  OBSERVATION_COLUMNS,
  roundUsd,
  SCORE_COLUMNS,
  SCORE_SUMMARY_COLUMNS,
  TRACE_COLUMNS,
  toScoreSummary,
  type ScoreSummaryRow,
} from '../../record-rows.js';

/** The values node-postgres returns: JSONB and TEXT[] come parsed. */
export type PostgresColumns = { integer: string; flag: boolean; json: unknown };

export type TraceRow = stored.TraceRow<PostgresColumns>;
export type ObservationRow = stored.ObservationRow<PostgresColumns>;
export type ScoreRow = stored.ScoreRow<PostgresColumns>;

export const { toTraceRecord, toObservationRecord, toScoreRecord } = recordConverters<PostgresColumns>((value) => value);
