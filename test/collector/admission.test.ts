import { describe, expect, it } from 'vitest';
import { createAdmission } from '../../collector/receiver/admission.js';
import { SpanliteError } from '../../collector/errors.js';

function clock() {
  let nowMs = 0;
  return { now: () => nowMs, advance: (ms: number) => (nowMs += ms) };
}

function refusal(enter: () => unknown): SpanliteError | undefined {
  try {
    enter();
  } catch (error) {
    return error as SpanliteError;
  }
  return undefined;
}

describe('admission', () => {
  it('admits while exports are answered within the limit', () => {
    const time = clock();
    const admission = createAdmission({ maxQueueDelayMs: 2_000, now: time.now });
    const waiting = admission.enter();
    for (let i = 0; i < 5; i++) {
      const end = admission.enter();
      time.advance(1_900);
      end();
    }
    expect(refusal(() => admission.enter())).toBeUndefined();
    waiting();
  });

  it('refuses with a retryable 503 after an interval whose quickest export took longer, until one is quick again', () => {
    const time = clock();
    const admission = createAdmission({ maxQueueDelayMs: 2_000, now: time.now });
    const backlog = Array.from({ length: 4 }, () => admission.enter());
    time.advance(2_500);
    backlog[0]!();
    backlog[1]!(); // the quickest of this interval took 2.5 s: a standing queue
    time.advance(1_000);

    const error = refusal(() => admission.enter());
    expect(error).toBeInstanceOf(SpanliteError);
    expect(error!.httpStatus).toBe(503);
    expect(error!.retryAfterSeconds).toBe(1);
    expect(error!.message).toContain('took at least 2500 ms');

    // The backlog drains (slowly); with nothing left in progress, exports are admitted again.
    backlog[2]!();
    time.advance(1_000);
    expect(refusal(() => admission.enter())).toBeInstanceOf(SpanliteError); // backlog[3] still waits
    backlog[3]!();
    time.advance(1_000);
    const quick = admission.enter(); // nothing in progress: admitted
    time.advance(100);
    quick();
    time.advance(1_000);
    const ends = [admission.enter(), admission.enter()]; // the last interval's quickest took 100 ms
    for (const end of ends) end();
  });

  it('is not tripped by one slow export: the quickest counts, and nothing is refused with nothing in progress', () => {
    const time = clock();
    const admission = createAdmission({ maxQueueDelayMs: 2_000, now: time.now });
    const slow = admission.enter(); // a slow upload
    time.advance(900);
    const quick = admission.enter();
    time.advance(50);
    quick();
    time.advance(5_000);
    slow(); // took 5.95 s, alone in its interval
    time.advance(1_000);
    expect(refusal(() => admission.enter())).toBeUndefined();
  });
});
