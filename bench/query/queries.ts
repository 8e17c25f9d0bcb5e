/**
 * The queries the benchmark times, each a function from the run number to a request path so the
 * parameters change per request (a different user, tag, threshold, term, trace...).
 */
import { ARABIC, CHINESE, RUSSIAN, TAGS, VOCABULARY } from './dataset.js';

export interface Samples {
  traceIds: string[];
  observationIds: string[];
  sessionIds: string[];
  userIds: string[];
  costs: number[];
  lastTraceMs: number;
}

export interface BenchQuery {
  name: string;
  /** Which target applies: lists and detail 50 ms, search 200 ms, metrics 500 ms; extra: none. */
  kind: 'list' | 'detail' | 'search' | 'metrics' | 'extra';
  path: (run: number) => string;
}

const DAY_MS = 86_400_000;

export function benchQueries(samples: Samples): BenchQuery[] {
  const pick = <T>(list: readonly T[], run: number): T => list[(run * 7919) % list.length]!;
  const q = (text: string) => encodeURIComponent(text);
  // Words from frequent (rank 20: in about a third of the traces) to rare (rank 2,500), two words,
  // a phrase, and words in Chinese, Russian and Arabic (each in about 1% of the traces).
  const searchTerms = [
    ...[20, 40, 80, 150, 300, 600, 1200, 2500].map((rank) => VOCABULARY[rank]!),
    `${VOCABULARY[30]} ${VOCABULARY[400]}`,
    `"${VOCABULARY[0]} ${VOCABULARY[1]}"`,
    ...CHINESE.map((phrase) => phrase.slice(2, 4)),
    ...RUSSIAN.map((phrase) => phrase.split(' ')[1]!),
    ...ARABIC.map((phrase) => phrase.split(' ').at(-1)!),
  ];
  const end = new Date(samples.lastTraceMs + 1).toISOString();
  const monthBefore = new Date(samples.lastTraceMs + 1 - 30 * DAY_MS).toISOString();
  return [
    { name: 'list newest page', kind: 'list', path: () => '/api/public/traces?limit=50' },
    { name: 'list by userId', kind: 'list', path: (run) => `/api/public/traces?userId=${pick(samples.userIds, run)}` },
    { name: 'list by tag', kind: 'list', path: (run) => `/api/public/traces?tags=${pick(TAGS, run)}` },
    {
      name: 'list by score range',
      kind: 'list',
      path: (run) => `/api/public/traces?score=${q(run % 2 === 0 ? `helpfulness<${0.01 + (run % 5) / 100}` : `helpfulness>=${0.95 + (run % 5) / 100}`)}`,
    },
    {
      name: 'list by cost range',
      kind: 'list',
      path: (run) => {
        const cost = pick(samples.costs, run);
        return `/api/public/traces?minCost=${cost * 0.98}&maxCost=${cost * 1.02}`;
      },
    },
    { name: 'full-text search', kind: 'search', path: (run) => `/api/public/traces?q=${q(pick(searchTerms, run))}` },
    { name: 'trace detail', kind: 'detail', path: (run) => `/api/public/traces/${pick(samples.traceIds, run)}` },
    { name: 'observation by id', kind: 'detail', path: (run) => `/api/public/observations/${pick(samples.observationIds, run)}` },
    { name: 'session detail', kind: 'detail', path: (run) => `/api/public/sessions/${pick(samples.sessionIds, run)}` },
    {
      name: 'daily metrics, 30 days',
      kind: 'metrics',
      path: (run) => `/api/public/metrics/daily?fromTimestamp=${monthBefore}&toTimestamp=${end}${run % 2 === 0 ? '' : '&limit=31'}`,
    },
    { name: 'daily metrics, 30 days, one user', kind: 'extra', path: (run) => `/api/public/metrics/daily?fromTimestamp=${monthBefore}&userId=${pick(samples.userIds, run)}` },
    { name: 'list by cursor, 20th page', kind: 'extra', path: () => '/api/public/traces?limit=50&page=20' },
    { name: 'list with level=ERROR', kind: 'extra', path: (run) => `/api/public/traces?level=ERROR&page=${1 + (run % 3)}` },
    { name: 'list by model, newest', kind: 'extra', path: () => '/api/public/traces?model=claude-3-5-sonnet' },
    { name: 'sessions list', kind: 'extra', path: (run) => `/api/public/sessions?page=${1 + (run % 5)}` },
    { name: 'users list by cost', kind: 'extra', path: () => '/api/public/users?orderBy=totalCost.desc' },
    { name: 'observations of a trace', kind: 'extra', path: (run) => `/api/public/observations?traceId=${pick(samples.traceIds, run)}` },
    { name: 'generations, newest', kind: 'extra', path: () => '/api/public/observations?type=GENERATION&limit=50' },
    { name: 'scores by name, newest', kind: 'extra', path: () => '/api/public/scores?name=toxicity&limit=50' },
  ];
}
