/**
 * Disk taken by the spans a server acknowledged: a database's size, per span and per byte of the
 * OTLP protobuf request bodies they came in. Two ways to read the size, one per kind of phase:
 *
 * - `files-after-stop`: database file + its -wal, once the server has stopped. The collector
 *   checkpoints with TRUNCATE before closing and the last connection's close removes the WAL, so
 *   this is the checkpointed file. For a database that held nothing before the phase: the empty
 *   schema is included (248 KiB for the collector, small against a phase's spans).
 * - `page-growth`: growth of page_count x page_size between two moments at which the running
 *   server is at rest, read through a read-only connection. That is the size the file takes after
 *   a full checkpoint, so the growth is what a phase added to a database reused across phases
 *   (measured: empty schema + fill growth + round growth = the file after stop, within 0.1 MiB).
 * - `database-size`: PostgreSQL's pg_database_size once the collectors have stopped: the
 *   database's tables, indexes and TOAST, empty schema included; not the WAL, which belongs to
 *   the whole server.
 */
import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { formatInt } from './report.js';

export type SizeMethod = 'files-after-stop' | 'page-growth' | 'database-size';

export interface StorageFigures {
  method: SizeMethod;
  /** Bytes on disk the phase's spans take. */
  bytes: number;
  /** Spans acknowledged (answered 200, less partial_success.rejected_spans), warm-up included. */
  spans: number;
  /** Protobuf request body bytes of the requests answered 200, warm-up included. */
  protobufBytes: number;
  /** bytes / spans. */
  bytesPerSpan: number;
  /** bytes / protobufBytes: 2.6 means the stored form takes 2.6 times the wire form. */
  bytesPerProtobufByte: number;
}

export function storageFigures(
  method: SizeMethod,
  bytes: number,
  acknowledged: { spans: number; protobufBytes: number },
): StorageFigures {
  return {
    method,
    bytes,
    spans: acknowledged.spans,
    protobufBytes: acknowledged.protobufBytes,
    bytesPerSpan: acknowledged.spans > 0 ? bytes / acknowledged.spans : Number.NaN,
    bytesPerProtobufByte: acknowledged.protobufBytes > 0 ? bytes / acknowledged.protobufBytes : Number.NaN,
  };
}

/** Database file + its -wal, in bytes (0 for a file that does not exist). */
export function databaseFileBytes(file: string): number {
  return fileBytes(file) + fileBytes(`${file}-wal`);
}

/** page_count x page_size of the latest committed state, WAL included, without writing to it. */
export function databasePageBytes(file: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const pages = db.pragma('page_count', { simple: true }) as number;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    return pages * pageSize;
  } finally {
    db.close();
  }
}

function fileBytes(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** `12.3 MiB = 2,345 B/span, 2.61x the protobuf bytes` for the log lines. */
export function describeStorage(figures: StorageFigures): string {
  const perSpan = Number.isFinite(figures.bytesPerSpan) ? formatInt(figures.bytesPerSpan) : '-';
  const ratio = Number.isFinite(figures.bytesPerProtobufByte) ? figures.bytesPerProtobufByte.toFixed(2) : '-';
  return `${(figures.bytes / (1024 * 1024)).toFixed(1)} MiB = ${perSpan} B/span, ${ratio}x the protobuf bytes`;
}
