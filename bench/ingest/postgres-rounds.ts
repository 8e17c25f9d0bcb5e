/**
 * The ingest benchmark's PostgreSQL rounds (`--store postgres`): collectors on a throwaway
 * PostgreSQL server (bench/postgres/throwaway-server.ts), each phase on a fresh database of its
 * own, with the same payloads and sender as the SQLite rounds. Besides the collectors' CPU, the
 * server's CPU is measured from /proc: the postmaster and every process it forks (backends,
 * checkpointer, WAL writer, autovacuum), living or ended during the phase.
 */
import pg from 'pg';
import type { PhaseResult } from './load-phase.js';
import { runLoadPhase } from './load-phase.js';
import { processTreeCpu } from './proc-sampler.js';
import { stopServer, type ServerProcess } from './processes.js';
import { describePhase, measuredCommand } from './rounds.js';
import { SCRIPTS, startTarget, STOP_GRACE_MS, type Context } from './servers.js';
import { describeStorage, storageFigures } from './storage.js';
import type { PostgresDurability, PostgresServer } from '../postgres/throwaway-server.js';

/** The PostgreSQL counterpart of the collector's SQLite durability (SPANLITE_DB_SYNC). */
export function postgresDurability(dbSync: 'full' | 'normal'): PostgresDurability {
  return dbSync === 'full' ? 'full' : 'normal';
}

/**
 * One phase: `collectors` collector processes on one new database, the sender's connections
 * spread over them; every acknowledged span read back through the first. The database is
 * measured (pg_database_size) once the collectors stopped, then dropped.
 */
export async function postgresRound(context: Context, server: PostgresServer, collectors: number, round: number): Promise<PhaseResult> {
  const name = `postgres-x${collectors}-r${round}`;
  const databaseName = name.replaceAll('-', '_');
  const url = await server.createDatabase(databaseName);
  const servers: ServerProcess[] = [];
  let phase: PhaseResult;
  try {
    // One after the other: the first creates the schema, the others find it in place.
    for (let i = 1; i <= collectors; i++) servers.push(await startTarget(context, 'collector', `${name}-c${i}`, url));
    ({ phase } = await runLoadPhase({
      label: `r${round} postgres x${collectors}`,
      kind: 'collector',
      store: 'postgres',
      servers,
      databaseCpu: processTreeCpu(() => server.postmasterPid()),
      senderScript: SCRIPTS.sender,
      command: measuredCommand(context.config, true),
      storedSpansBefore: 0,
      verify: { maxTraces: context.config.verifyMaxTraces, maxSeconds: context.config.verifyMaxSeconds },
    }));
    context.log(describePhase(phase));
  } finally {
    const outcomes = await Promise.all(servers.map((collector) => stopServer(collector, STOP_GRACE_MS)));
    context.log(`    ${name}: collectors stopped (${outcomes.join(', ')})`);
  }
  const bytes = await databaseBytesThenDrop(server, databaseName);
  const storage = storageFigures('database-size', bytes, { spans: phase.acceptedSpans, protobufBytes: phase.acceptedBodyBytes });
  context.log(`    ${name} on disk: ${describeStorage(storage)}`);
  return { ...phase, storage };
}

async function databaseBytesThenDrop(server: PostgresServer, databaseName: string): Promise<number> {
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ bytes: string }>('SELECT pg_database_size($1) AS bytes', [databaseName]);
    await client.query(`DROP DATABASE "${databaseName}" WITH (FORCE)`);
    return Number(rows[0]!.bytes);
  } finally {
    await client.end();
  }
}
