/**
 * Phase results -> medians, targets with PASS/FAIL, and the printed tables.
 */
import type { PhaseResult } from './load-phase.js';
import type { VerifyResult } from './verify.js';
import { median } from './stats.js';

/** Medians across the rounds of one configuration. */
export interface Figures {
  rounds: number;
  spansPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  peakRssMiB: number;
  serverCpuCores: number;
  serverCpuMsPer1kSpans: number;
  /** The database server's CPU (PostgreSQL); NaN for SQLite. */
  databaseCpuCores: number;
  databaseCpuMsPer1kSpans: number;
  serverWrittenBytesPerSpan: number;
  otherCpuCores: number;
  /** Bytes on disk per acknowledged span (PhaseResult.storage; NaN when no round measured it). */
  diskBytesPerSpan: number;
  /** Bytes on disk per byte of acknowledged OTLP protobuf request bodies. */
  diskBytesPerProtobufByte: number;
}

export interface Target {
  name: string;
  actual: string;
  pass: boolean;
}

export interface FillResult {
  spans: number;
  seconds: number;
  spansPerSecond: number;
  reachedTarget: boolean;
  failures: Record<string, number>;
}

export interface Summary {
  baseline: Figures;
  collectorEmpty: Figures;
  collectorLarge: Figures | null;
  /** The collector with masking on (BENCH_MASK), on an empty database; null when not measured. */
  collectorMasked: Figures | null;
  /** collectorEmpty / baseline spans/s. */
  speedup: number;
  /** collectorLarge / collectorEmpty spans/s. */
  largeRetention: number | null;
  spansChecked: number;
  lostSpans: number;
  /** Traces not verified: read failed (time-out, 5xx) or not reached before the time limit. */
  tracesUnchecked: number;
  targets: Target[];
}

export const TARGET_SPEEDUP = 1.2;
export const TARGET_SPANS_PER_SECOND = 25_000;
export const TARGET_LARGE_RETENTION = 0.6;
/** Masking on (every detector) costs at most 15% of the spans/s. */
export const TARGET_MASKED_SHARE = 0.85;

export function figuresOf(phases: readonly PhaseResult[]): Figures {
  return {
    rounds: phases.length,
    spansPerSecond: median(phases.map((p) => p.spansPerSecond)),
    p50Ms: median(phases.map((p) => p.latency.p50Ms)),
    p99Ms: median(phases.map((p) => p.latency.p99Ms)),
    peakRssMiB: median(phases.map((p) => p.peakRssMiB)),
    serverCpuCores: median(phases.map((p) => p.serverCpuCores)),
    serverCpuMsPer1kSpans: median(phases.map((p) => p.serverCpuMsPer1kSpans)),
    databaseCpuCores: median(phases.map((p) => p.databaseCpuCores)),
    databaseCpuMsPer1kSpans: median(phases.map((p) => p.databaseCpuMsPer1kSpans)),
    serverWrittenBytesPerSpan: median(phases.map((p) => p.serverWrittenBytesPerSpan)),
    otherCpuCores: median(phases.map((p) => p.otherCpuCores)),
    diskBytesPerSpan: median(phases.map((p) => p.storage?.bytesPerSpan ?? null)),
    diskBytesPerProtobufByte: median(phases.map((p) => p.storage?.bytesPerProtobufByte ?? null)),
  };
}

/** `extraChecks`: read-backs outside the measured phases (e.g. a sample of the fill). */
export function summarise(
  phases: readonly PhaseResult[],
  largeSpans: number,
  extraChecks: readonly VerifyResult[] = [],
): Summary {
  const baseline = figuresOf(phases.filter((p) => p.server === 'baseline'));
  const empty = phases.filter((p) => p.server === 'collector' && p.storedSpansBefore === 0);
  const large = phases.filter((p) => p.server === 'collector' && p.storedSpansBefore > 0);
  const collectorEmpty = figuresOf(empty);
  const collectorLarge = large.length > 0 ? figuresOf(large) : null;
  const masked = phases.filter((p) => p.server === 'collector+mask');
  const collectorMasked = masked.length > 0 ? figuresOf(masked) : null;
  const speedup = collectorEmpty.spansPerSecond / baseline.spansPerSecond;
  const largeRetention = collectorLarge ? collectorLarge.spansPerSecond / collectorEmpty.spansPerSecond : null;
  const verified = [...phases.flatMap((p) => (p.verify ? [p.verify] : [])), ...extraChecks];
  const spansChecked = verified.reduce((sum, v) => sum + v.spansExpected, 0);
  const lostSpans = verified.reduce((sum, v) => sum + v.lostSpans, 0);
  const tracesUnchecked = verified.reduce((sum, v) => sum + v.tracesUnchecked + v.readErrors, 0);

  const targets: Target[] = [
    {
      name: `collector >= ${TARGET_SPEEDUP}x baseline spans/s`,
      actual: `${speedup.toFixed(2)}x`,
      pass: speedup >= TARGET_SPEEDUP,
    },
    {
      name: `collector >= ${formatInt(TARGET_SPANS_PER_SECOND)} spans/s`,
      actual: formatInt(collectorEmpty.spansPerSecond),
      pass: collectorEmpty.spansPerSecond >= TARGET_SPANS_PER_SECOND,
    },
  ];
  if (collectorLarge && largeRetention !== null) {
    targets.push({
      name: `rate after ${formatCount(largeSpans)} spans >= ${TARGET_LARGE_RETENTION * 100}% of empty`,
      actual: `${(largeRetention * 100).toFixed(0)}% (${formatInt(collectorLarge.spansPerSecond)} vs ${formatInt(collectorEmpty.spansPerSecond)})`,
      pass: largeRetention >= TARGET_LARGE_RETENTION,
    });
  }
  if (collectorMasked) {
    const kept = collectorMasked.spansPerSecond / collectorEmpty.spansPerSecond;
    targets.push({
      name: `masking on >= ${TARGET_MASKED_SHARE * 100}% of off spans/s`,
      actual: `${(kept * 100).toFixed(0)}% (${formatInt(collectorMasked.spansPerSecond)} vs ${formatInt(collectorEmpty.spansPerSecond)}; CPU ms/1k ${collectorMasked.serverCpuMsPer1kSpans.toFixed(0)} vs ${collectorEmpty.serverCpuMsPer1kSpans.toFixed(0)})`,
      pass: kept >= TARGET_MASKED_SHARE,
    });
  }
  targets.push({
    name: 'every accepted span readable (loss 0)',
    actual:
      `${formatInt(lostSpans)} lost of ${formatInt(spansChecked)} checked` +
      (tracesUnchecked > 0 ? ` (${formatInt(tracesUnchecked)} traces NOT VERIFIED: read failed or time limit)` : ''),
    pass: lostSpans === 0 && spansChecked > 0,
  });
  return { baseline, collectorEmpty, collectorLarge, collectorMasked, speedup, largeRetention, spansChecked, lostSpans, tracesUnchecked, targets };
}

/** With a database server in some phase (PostgreSQL), its CPU gets two columns ('-' for SQLite). */
export function formatPhaseTable(phases: readonly PhaseResult[]): string {
  const withDatabase = phases.some((p) => p.databaseCpuCores !== null);
  const header = ['phase', 'spans/s', 'p50 ms', 'p99 ms', 'peak RSS', 'server CPU', 'CPU ms/1k', ...(withDatabase ? ['PG CPU', 'PG ms/1k'] : []), 'written/span', 'disk/span', 'disk/protobuf', 'sender CPU', 'other CPU', 'accepted', 'failed req', 'read-back'];
  const rows = phases.map((p) => [
    p.label,
    formatInt(p.spansPerSecond),
    formatMs(p.latency.p50Ms),
    formatMs(p.latency.p99Ms),
    `${p.peakRssMiB.toFixed(0)} MiB`,
    `${p.serverCpuCores.toFixed(2)} cores`,
    p.serverCpuMsPer1kSpans.toFixed(0),
    ...(withDatabase
      ? [p.databaseCpuCores === null ? '-' : `${p.databaseCpuCores.toFixed(2)} cores`, p.databaseCpuMsPer1kSpans?.toFixed(0) ?? '-']
      : []),
    `${(p.serverWrittenBytesPerSpan / 1024).toFixed(1)} KiB`,
    formatBytes(p.storage?.bytesPerSpan ?? Number.NaN),
    formatRatio(p.storage?.bytesPerProtobufByte ?? Number.NaN),
    `${p.clientCpuCores.toFixed(2)} cores`,
    `${p.otherCpuCores.toFixed(2)} cores`,
    formatInt(p.acceptedSpans),
    String(Object.values(p.failures).reduce((a, b) => a + b, 0)),
    p.verify
      ? `${formatInt(p.verify.spansFound)}/${formatInt(p.verify.spansExpected)} spans` +
        (p.verify.tracesUnchecked + p.verify.readErrors > 0
          ? ` (+${formatInt(p.verify.tracesUnchecked + p.verify.readErrors)} traces unverified)`
          : '')
      : '-',
  ]);
  return table(header, rows);
}

/** What the disk columns mean (storage.ts). */
const DISK_NOTE = [
  'disk/span: database bytes per acknowledged span, warm-up included; empty database: database + WAL once the server',
  'stopped and checkpointed; after the fill: page growth over the round. disk/protobuf: those bytes per protobuf body byte answered 200.',
].join('\n');

export function formatSummary(summary: Summary, largeNote: string): string {
  const line = (name: string, f: Figures | null) =>
    f === null
      ? [name, '-', '-', '-', '-', '-', '-', '-', '-', '-', '-']
      : [
          name,
          formatInt(f.spansPerSecond),
          formatMs(f.p50Ms),
          formatMs(f.p99Ms),
          `${f.peakRssMiB.toFixed(0)} MiB`,
          `${f.serverCpuCores.toFixed(2)} cores`,
          f.serverCpuMsPer1kSpans.toFixed(0),
          `${(f.serverWrittenBytesPerSpan / 1024).toFixed(1)} KiB`,
          formatBytes(f.diskBytesPerSpan),
          formatRatio(f.diskBytesPerProtobufByte),
          `${f.otherCpuCores.toFixed(2)} cores`,
        ];
  const medians = table(
    ['median of rounds', 'spans/s', 'p50 ms', 'p99 ms', 'peak RSS', 'server CPU', 'CPU ms/1k', 'written/span', 'disk/span', 'disk/protobuf', 'other CPU'],
    [
      line('baseline (decode + 1 row/span)', summary.baseline),
      line('collector, empty database', summary.collectorEmpty),
      line(`collector, ${largeNote}`, summary.collectorLarge),
      ...(summary.collectorMasked ? [line('collector, masking on (BENCH_MASK)', summary.collectorMasked)] : []),
    ],
  );
  const targets = table(
    ['target', 'measured', 'result'],
    summary.targets.map((t) => [t.name, t.actual, t.pass ? 'PASS' : 'FAIL']),
  );
  return `${medians}\n${DISK_NOTE}\n\n${targets}`;
}

/** A warning when other processes took a noticeable share of the cores during some phase. */
export function contentionWarning(phases: readonly PhaseResult[], thresholdCores = 0.25): string | null {
  const worst = Math.max(0, ...phases.map((p) => p.otherCpuCores));
  if (worst < thresholdCores) return null;
  return (
    `WARNING: other processes used up to ${worst.toFixed(2)} cores during the phases (column "other CPU"); ` +
    'spans/s is then understated. "CPU ms/1k" (server CPU per 1000 spans) is the steadier figure; rerun on a quiet machine.'
  );
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const render = (cells: readonly string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [render(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(render)].join('\n');
}

export function formatInt(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : String(value);
}

/** Whole bytes ('1,912 B'); '-' when there is no figure. */
export function formatBytes(value: number): string {
  return Number.isFinite(value) ? `${formatInt(value)} B` : '-';
}

/** A multiple with two decimals ('2.61x'); '-' when there is no figure. */
export function formatRatio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}x` : '-';
}

/** Milliseconds with one decimal; '-' when there is no figure. */
export function formatMs(value: number | null): string {
  return value === null || Number.isNaN(value) ? '-' : value.toFixed(1);
}

export function formatCount(value: number): string {
  if (value >= 1_000_000) return `${(value / 1_000_000).toFixed(value % 1_000_000 === 0 ? 0 : 1)}M`;
  if (value >= 1_000) return `${(value / 1_000).toFixed(0)}k`;
  return String(value);
}
