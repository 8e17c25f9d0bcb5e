/**
 * Stored SQLite rows -> the store's records (store/record-rows.ts, shared with PostgreSQL): integer
 * columns read as bigint (safeIntegers), flags as 0n/1n, JSON columns as text.
 */
import type * as stored from '../../record-rows.js';
import { recordConverters } from '../../record-rows.js';

export { OBSERVATION_COLUMNS, roundUsd, SCORE_COLUMNS, TRACE_COLUMNS } from '../../record-rows.js';

export type SqliteColumns = { integer: bigint; flag: bigint; json: string };

export type TraceRow = stored.TraceRow<SqliteColumns>;
export type ObservationRow = stored.ObservationRow<SqliteColumns>;
export type ScoreRow = stored.ScoreRow<SqliteColumns>;

export const { toTraceRecord, toObservationRecord, toScoreRecord } = recordConverters<SqliteColumns>((text) => JSON.parse(text));
