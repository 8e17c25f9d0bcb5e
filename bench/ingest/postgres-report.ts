/**
 * `--store postgres` results -> medians per configuration (SQLite collector, PostgreSQL with one
 * and with two collectors), the target with PASS/FAIL, and CPU per 1000 spans turned into what
 * one core of each process takes.
 */
import type { PhaseResult } from './load-phase.js';
import { figuresOf, formatBytes, formatInt, formatMs, table, type Figures, type Target } from './report.js';

/** PostgreSQL with one collector against the SQLite collector, spans/s in the same run. */
export const TARGET_POSTGRES_RATIO = 0.8;

export interface PostgresSummary {
  sqlite: Figures;
  postgresOne: Figures;
  postgresTwo: Figures | null;
  /** postgresOne / sqlite spans/s. */
  ratio: number;
  spansChecked: number;
  lostSpans: number;
  tracesUnchecked: number;
  targets: Target[];
}

export function summarisePostgres(phases: readonly PhaseResult[]): PostgresSummary {
  const collector = phases.filter((p) => p.server === 'collector' && p.storedSpansBefore === 0);
  const sqlite = figuresOf(collector.filter((p) => p.store === 'sqlite'));
  const postgresOne = figuresOf(collector.filter((p) => p.store === 'postgres' && p.serverProcesses === 1));
  const two = collector.filter((p) => p.store === 'postgres' && p.serverProcesses === 2);
  const ratio = postgresOne.spansPerSecond / sqlite.spansPerSecond;
  const verified = phases.flatMap((p) => (p.verify ? [p.verify] : []));
  const spansChecked = verified.reduce((sum, v) => sum + v.spansExpected, 0);
  const lostSpans = verified.reduce((sum, v) => sum + v.lostSpans, 0);
  const tracesUnchecked = verified.reduce((sum, v) => sum + v.tracesUnchecked + v.readErrors, 0);
  return {
    sqlite,
    postgresOne,
    postgresTwo: two.length > 0 ? figuresOf(two) : null,
    ratio,
    spansChecked,
    lostSpans,
    tracesUnchecked,
    targets: [
      {
        name: `PostgreSQL, 1 collector >= ${TARGET_POSTGRES_RATIO}x the SQLite collector's spans/s`,
        actual: `${ratio.toFixed(2)}x (${formatInt(postgresOne.spansPerSecond)} vs ${formatInt(sqlite.spansPerSecond)})`,
        pass: ratio >= TARGET_POSTGRES_RATIO,
      },
      {
        name: 'every accepted span readable (loss 0)',
        actual:
          `${formatInt(lostSpans)} lost of ${formatInt(spansChecked)} checked` +
          (tracesUnchecked > 0 ? ` (${formatInt(tracesUnchecked)} traces NOT VERIFIED: read failed or time limit)` : ''),
        pass: lostSpans === 0 && spansChecked > 0,
      },
    ],
  };
}

export function formatPostgresSummary(summary: PostgresSummary): string {
  const line = (name: string, f: Figures) => {
    const database = Number.isFinite(f.databaseCpuMsPer1kSpans) ? f.databaseCpuMsPer1kSpans : 0;
    return [
      name,
      formatInt(f.spansPerSecond),
      formatMs(f.p50Ms),
      formatMs(f.p99Ms),
      `${f.serverCpuCores.toFixed(2)} cores`,
      f.serverCpuMsPer1kSpans.toFixed(0),
      Number.isFinite(f.databaseCpuCores) ? `${f.databaseCpuCores.toFixed(2)} cores` : '-',
      Number.isFinite(f.databaseCpuMsPer1kSpans) ? f.databaseCpuMsPer1kSpans.toFixed(0) : '-',
      (f.serverCpuMsPer1kSpans + database).toFixed(0),
      formatBytes(f.diskBytesPerSpan),
      `${f.otherCpuCores.toFixed(2)} cores`,
    ];
  };
  const rows = [line('SQLite, 1 collector (same-run baseline)', summary.sqlite), line('PostgreSQL, 1 collector', summary.postgresOne)];
  if (summary.postgresTwo) rows.push(line('PostgreSQL, 2 collectors', summary.postgresTwo));
  const medians = table(
    ['median of rounds', 'spans/s', 'p50 ms', 'p99 ms', 'collector CPU', 'collector ms/1k', 'PG CPU', 'PG ms/1k', 'total ms/1k', 'disk/span', 'other CPU'],
    rows,
  );
  const notes = [
    'collector CPU: the collector processes summed; PG CPU: the PostgreSQL server (postmaster, backends, checkpointer,',
    'WAL writer, autovacuum) from /proc; ms/1k: CPU milliseconds per 1000 accepted spans. PostgreSQL disk/span:',
    'pg_database_size after the phase (no WAL); SQLite: database + WAL after the checkpoint on stop.',
    '',
    capacityNote(summary),
  ];
  const targets = table(
    ['target', 'measured', 'result'],
    summary.targets.map((t) => [t.name, t.actual, t.pass ? 'PASS' : 'FAIL']),
  );
  return `${medians}\n${notes.join('\n')}\n\n${targets}`;
}

/**
 * Spans/s one core takes of each kind of process, from the CPU each spends per span: the
 * capacity per added core, if the work spreads without contention (which 2 cores cannot show).
 */
function capacityNote(summary: PostgresSummary): string {
  const perCore = (msPer1k: number) => (msPer1k > 0 ? formatInt(1e6 / msPer1k) : '-');
  const pg = summary.postgresTwo ?? summary.postgresOne;
  const lines = [
    `spans/s one busy core takes, from CPU per 1000 spans (PostgreSQL, ${summary.postgresTwo ? '2' : '1'} collector(s)): ` +
      `collector ${perCore(pg.serverCpuMsPer1kSpans)}, PostgreSQL ${perCore(pg.databaseCpuMsPer1kSpans)}; ` +
      `SQLite collector (its database in process) ${perCore(summary.sqlite.serverCpuMsPer1kSpans)}.`,
    `2 collectors / 1 collector on PostgreSQL: ${summary.postgresTwo ? `${(summary.postgresTwo.spansPerSecond / summary.postgresOne.spansPerSecond).toFixed(2)}x spans/s` : 'not measured'}.`,
    'This machine has 2 cores shared by the sender, the collectors and PostgreSQL: the rates show what 2 cores take,',
    'not how the rate grows with cores, locks or I/O on a larger machine; the per-core figures assume the work spreads evenly.',
  ];
  return lines.join('\n');
}
