/**
 * What a source holds under a trace id, in the terms a target's copyStates answers (contract.ts,
 * TraceCopyState): a trace whose state is the same in both was copied, and has not changed in
 * the source since (a change to a trace moves its updatedAt; a new span, score or message its
 * counts), so a copy run again skips it.
 */
import type { TraceCopyState, TraceExport } from '../contract.js';

export function copyStateOf(exported: TraceExport): TraceCopyState {
  const latestScore = exported.scores.reduce<number | null>((latest, score) => Math.max(latest ?? score.updatedAtMs, score.updatedAtMs), null);
  return {
    traceUpdatedAtMs: exported.trace?.updatedAtMs ?? null,
    observations: exported.observations.length,
    scores: exported.scores.length,
    scoresUpdatedAtMs: latestScore,
    messages: exported.messages.length,
    waitingMessages: exported.messages.filter((message) => message.waiting).length,
  };
}

export function sameCopyState(a: TraceCopyState, b: TraceCopyState | undefined): boolean {
  return (
    b !== undefined &&
    a.traceUpdatedAtMs === b.traceUpdatedAtMs &&
    a.observations === b.observations &&
    a.scores === b.scores &&
    a.scoresUpdatedAtMs === b.scoresUpdatedAtMs &&
    a.messages === b.messages &&
    a.waitingMessages === b.waitingMessages
  );
}
