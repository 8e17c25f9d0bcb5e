/**
 * Where a collector's CPU went, from a V8 .cpuprofile (BENCH_CPU_PROF=dir npm run bench:ingest).
 *
 * usage: node dist/bench/ingest/profile-summary.js FILE.cpuprofile [--from S] [--to S] [--top N]
 *   --from/--to: only samples taken between S seconds after the profile started (default: all).
 *
 * Prints self time by pipeline stage (native frames such as SQLite or JSON.stringify charged to
 * the stage that called them; V8 shows better-sqlite3's statement.run and JSON.stringify as self
 * time of the JS function calling them), inclusive time of the collector's own functions and of the hot
 * natives by calling stage, and the top functions by self time.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { table } from './report.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** First matching rule names the stage of a frame's file. */
const STAGE_BY_URL: readonly [RegExp, string][] = [
  [/\/collector\/decode\//, 'decode'],
  [/\/collector\/mapping\//, 'map'],
  [/\/collector\/pricing\//, 'cost'],
  [/\/collector\/store\/trace-merge\.js$/, 'store write (trace merge)'],
  [/\/collector\/store\/sqlite\/(read|search)\//, 'store reads (REST)'],
  [/\/collector\/store\//, 'store write'],
  [/\/collector\/routes\//, 'store reads (REST)'],
  [/\/collector\/(receiver\/|pipeline\.js$|write-queue\.js$|app\.js$)/, 'receiver + pipeline'],
  // Self time of better-sqlite3's transaction wrapper is BEGIN and COMMIT: WAL writes, fsync, FTS5 flushes.
  [/node_modules\/better-sqlite3\/lib\/methods\/transaction\.js$/, 'store: SQLite BEGIN/COMMIT'],
  [/node_modules\/better-sqlite3\//, 'store write'],
  [/node_modules\/(fastify|avvio|find-my-way|light-my-request|@fastify|fast-json-stringify)/, 'fastify'],
  [/node_modules\/(pino|sonic-boom|thread-stream)/, 'logging'],
  [/node_modules\/protobufjs\//, 'decode'],
  [/^node:/, 'node core (http, streams, buffers, module loading)'],
];

const SPECIAL: Record<string, string> = {
  '(garbage collector)': 'GC',
  '(program)': '(program: native, unattributed)',
  '(idle)': '(idle)',
  '(root)': '(root)',
};

function stageOf(node: ProfileNode): string | null {
  const { url, functionName } = node.callFrame;
  if (url === '') return SPECIAL[functionName] ?? null; // native: charged to the caller
  for (const [pattern, stage] of STAGE_BY_URL) if (pattern.test(url)) return stage;
  return 'other JS';
}

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.replace(/^.*\/(dist|node_modules)\//, '').replace(/^file:\/\//, '');
  return `${functionName || '(anonymous)'}${file ? ` ${file}:${lineNumber + 1}` : ' [native]'}`;
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { from: { type: 'string' }, to: { type: 'string' }, top: { type: 'string', default: '25' } },
  });
  const file = positionals[0];
  if (!file) {
    console.error('usage: profile-summary FILE.cpuprofile [--from S] [--to S] [--top N]');
    process.exitCode = 2;
    return;
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const top = Number(values.top);
  const fromUs = values.from === undefined ? -Infinity : Number(values.from) * 1e6;
  const toUs = values.to === undefined ? Infinity : Number(values.to) * 1e6;

  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  /** Stage a sample is charged to: its own frame's, or the nearest JS caller's for natives. */
  const chargedStage = new Map<number, string>();
  const stageFor = (id: number): string => {
    const cached = chargedStage.get(id);
    if (cached !== undefined) return cached;
    let current: number | undefined = id;
    let stage: string | null = null;
    while (current !== undefined && stage === null) {
      stage = stageOf(byId.get(current)!);
      current = parent.get(current);
    }
    const result = stage ?? 'other';
    chargedStage.set(id, result);
    return result;
  };

  const selfByStage = new Map<string, number>();
  const selfByFunction = new Map<string, number>();
  const inclusiveOurs = new Map<string, number>();
  const nativeByCaller = new Map<string, number>();
  let totalUs = 0;
  let elapsedUs = 0;
  const add = (map: Map<string, number>, key: string, us: number) => map.set(key, (map.get(key) ?? 0) + us);

  for (let i = 0; i < profile.samples.length; i++) {
    const deltaUs = profile.timeDeltas[i] ?? 0;
    elapsedUs += deltaUs;
    if (elapsedUs < fromUs || elapsedUs > toUs) continue;
    const leafId = profile.samples[i]!;
    const leaf = byId.get(leafId)!;
    totalUs += deltaUs;
    add(selfByStage, stageFor(leafId), deltaUs);
    add(selfByFunction, label(leaf), deltaUs);
    if (leaf.callFrame.url === '' && SPECIAL[leaf.callFrame.functionName] === undefined) {
      add(nativeByCaller, `${leaf.callFrame.functionName || '(native)'} <- ${stageFor(leafId)}`, deltaUs);
    }
    const seen = new Set<string>();
    for (let id: number | undefined = leafId; id !== undefined; id = parent.get(id)) {
      const node = byId.get(id)!;
      if (!/\/dist\/collector\//.test(node.callFrame.url)) continue;
      const key = label(node);
      if (seen.has(key)) continue; // recursion: count a sample once per function
      seen.add(key);
      add(inclusiveOurs, key, deltaUs);
    }
  }

  const busyUs = totalUs - (selfByStage.get('(idle)') ?? 0);
  const rows = (map: Map<string, number>, limit: number, of: number) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([key, us]) => [key, (us / 1000).toFixed(0), `${((100 * us) / of).toFixed(1)}%`]);

  console.log(`${file}: ${(totalUs / 1e6).toFixed(1)} s sampled, ${(busyUs / 1e6).toFixed(1)} s busy (not idle); % of busy time\n`);
  selfByStage.delete('(idle)');
  console.log(table(['stage (natives charged to caller)', 'self ms', '%'], rows(selfByStage, 30, busyUs)));
  console.log('');
  console.log(table(['collector function (inclusive)', 'ms', '%'], rows(inclusiveOurs, top, busyUs)));
  console.log('');
  console.log(table(['native <- calling stage (self)', 'ms', '%'], rows(nativeByCaller, top, busyUs)));
  console.log('');
  console.log(table(['function (self)', 'ms', '%'], rows(selfByFunction, top, busyUs)));
}

main();
