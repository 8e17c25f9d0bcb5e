/**
 * Six traces that between them exercise every trace-list filter, ordering and page: users,
 * sessions, tags, environments, releases, versions, metadata, levels, errors, costs and scores,
 * and a name and user id written as SQL. The REST tests and the store contract list them alike;
 * t0..t5 are their places here.
 */
import type { NamedTraceSpec } from './trace-attributes.js';

/** Unix ms of t0's start; the others start a minute apart. */
export const T0 = Date.UTC(2025, 2, 10, 12, 0, 0);
export const MINUTE = 60_000;

export const LISTED_TRACES: NamedTraceSpec[] = [
  {
    name: 'support-query',
    startMs: T0,
    durationMs: 1200,
    userId: 'alice',
    sessionId: 's1',
    tags: ['support', 'production'],
    environment: 'production',
    release: 'r1',
    metadata: { plan: 'pro', seats: 3, trial: false },
    generations: [{ model: 'gpt-4o-mini', inputTokens: 100, outputTokens: 20, costUsd: 0.02 }],
    scores: [
      { name: 'helpfulness', value: 0.9 },
      { name: 'toxicity', value: 0 },
    ],
  },
  {
    name: 'support-query',
    startMs: T0 + MINUTE,
    durationMs: 3000,
    userId: 'alice',
    sessionId: 's1',
    tags: ['support'],
    environment: 'production',
    release: 'r2',
    generations: [{ model: 'gpt-4o', inputTokens: 1000, outputTokens: 200, costUsd: 0.5, level: 'WARNING' }],
    scores: [
      { name: 'helpfulness', value: 0.3 },
      { name: 'sentiment', label: 'negative' },
    ],
  },
  {
    name: 'summarize',
    startMs: T0 + 2 * MINUTE,
    durationMs: 500,
    userId: 'bob',
    sessionId: 's2',
    tags: ['batch'],
    environment: 'staging',
    error: 'upstream timeout',
    generations: [{ model: 'claude-3-5-sonnet', inputTokens: 300, outputTokens: 30, costUsd: 0.1 }],
    scores: [{ name: 'helpfulness', value: 0.6 }],
  },
  {
    name: 'summarize',
    startMs: T0 + 3 * MINUTE,
    durationMs: 8000,
    userId: 'bob',
    tags: ['batch', 'production'],
    environment: 'production',
    metadata: { plan: 'free' },
    generations: [{ model: 'gpt-4o', inputTokens: 5000, outputTokens: 900, costUsd: 1.2, level: 'ERROR' }],
  },
  { name: 'chat', startMs: T0 + 4 * MINUTE, durationMs: 200, userId: 'carol', sessionId: 's3', version: 'v9' },
  { name: "O'Brien; DROP TABLE traces;--", startMs: T0 + 5 * MINUTE, durationMs: 100, userId: "' OR 1=1 --" },
];
