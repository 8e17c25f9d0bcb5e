/**
 * A conversation and its neighbours: three chat turns of user u1 in session conv-1, a solo
 * trace of u1 with an ERROR generation, and a staging trace of u2 in conv-2. The REST tests and
 * the store contract read sessions, users and observations off these alike.
 */
import type { NamedTraceSpec } from './trace-attributes.js';

/** Unix ms of the first turn's start. */
export const T0 = Date.UTC(2025, 5, 2, 8, 0, 0);
export const MINUTE = 60_000;

/** The n-th turn of conv-1: n times the tokens of the first. */
export const chatTurn = (n: number, startMs: number, costUsd: number): NamedTraceSpec => ({
  name: 'chat-turn',
  startMs,
  userId: 'u1',
  sessionId: 'conv-1',
  environment: 'production',
  input: `turn ${n} question`,
  output: `turn ${n} answer`,
  generations: [{ model: 'gpt-4o-mini', inputTokens: 100 * n, outputTokens: 10 * n, costUsd }],
});

export const CONVERSATION_TRACES: NamedTraceSpec[] = [
  chatTurn(1, T0, 0.1),
  chatTurn(2, T0 + MINUTE, 0.2),
  chatTurn(3, T0 + 2 * MINUTE, 0.3),
  { name: 'solo', startMs: T0 + 5 * MINUTE, userId: 'u1', generations: [{ model: 'gpt-4o', inputTokens: 5, outputTokens: 5, costUsd: 0.05, level: 'ERROR' }] },
  {
    name: 'chat-turn',
    startMs: T0 + 10 * MINUTE,
    userId: 'u2',
    sessionId: 'conv-2',
    environment: 'staging',
    generations: [{ model: 'claude-3-5-sonnet', inputTokens: 40, outputTokens: 4, costUsd: 0.4 }],
  },
];
