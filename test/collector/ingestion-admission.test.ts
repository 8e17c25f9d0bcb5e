/**
 * Langfuse ingestion (POST /api/public/ingestion) is admitted as OTLP exports are
 * (collector/receiver/admission.ts): when even the quickest request of the last second took
 * longer than SPANLITE_MAX_QUEUE_DELAY_MS, new ones get 503 + Retry-After before their body is
 * read, while any is in progress; with none in progress they are admitted again. Requests here
 * are sent over real sockets, their bodies held back, so that one is slow and one stays open.
 */
import { request, type ClientRequest } from 'node:http';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCollector, type TestCollector } from '../helpers/collector.js';

/** The lowest SPANLITE_MAX_QUEUE_DELAY_MS allowed. */
const MAX_QUEUE_DELAY_MS = 100;
/** How long the slow request's body is held back: well past the limit. */
const SLOW_BODY_DELAY_MS = 3 * MAX_QUEUE_DELAY_MS;
/** The admission's interval (1 s) and some: the next arrival judges the interval that held the slow answer. */
const NEXT_INTERVAL_MS = 1_200;
/**
 * A request not answered by then is aborted, the one kept in progress included (it lives about
 * 3 s): for the refused one, a sign that its answer waited for the body it never gets.
 */
const ANSWER_LIMIT_MS = 10_000;
/** Two quiet intervals, a slow answer and the answers after, with room for a busy machine. */
const TEST_LIMIT_MS = 30_000;

interface Answer {
  status: number;
  retryAfter: string | undefined;
  body: unknown;
}

/** A POST whose headers are sent at once and whose body waits for `sendBody()`. */
function ingestionWithHeldBody(url: string, body: object): { answer: Promise<Answer>; sendBody(): void; abort(): void } {
  const bytes = Buffer.from(JSON.stringify(body));
  const sent: ClientRequest = request(`${url}/api/public/ingestion`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': bytes.length },
    signal: AbortSignal.timeout(ANSWER_LIMIT_MS),
  });
  sent.on('error', () => undefined); // aborted after its answer, or the answer limit passed (the test fails on the answer)
  sent.flushHeaders();
  const answer = once(sent, 'response').then(async ([response]) => {
    let text = '';
    for await (const chunk of response) text += chunk;
    return { status: response.statusCode, retryAfter: response.headers['retry-after'], body: JSON.parse(text) as unknown };
  });
  return { answer, sendBody: () => sent.end(bytes), abort: () => sent.destroy() };
}

const traceBatch = () => ({ batch: [{ id: randomUUID(), type: 'trace-create', body: { id: randomUUID(), name: 'admission' } }] });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A second whose only answer was a slow ingestion request, with another request left in progress
 * (returned, its body held back): the next arrival is judged by that second. It starts after a
 * quiet interval, so no quicker answer from before shares its second.
 */
async function slowSecond(url: string): Promise<ReturnType<typeof ingestionWithHeldBody>> {
  await sleep(NEXT_INTERVAL_MS);
  const inProgress = ingestionWithHeldBody(url, traceBatch());
  const slow = ingestionWithHeldBody(url, traceBatch());
  await sleep(SLOW_BODY_DELAY_MS);
  slow.sendBody();
  const { status } = await slow.answer;
  if (status !== 207) throw new Error(`the slow ingestion request was answered ${status}, not 207`);
  await sleep(NEXT_INTERVAL_MS);
  return inProgress;
}

describe('admission of Langfuse ingestion', () => {
  let collector: TestCollector;
  beforeAll(async () => {
    collector = await startTestCollector({ maxQueueDelayMs: MAX_QUEUE_DELAY_MS });
  });
  afterAll(async () => collector?.close());

  it('refuses with 503 and Retry-After before reading the body after a slow second, and admits again once none is in progress', async () => {
    const inProgress = await slowSecond(collector.url);

    // Its body is never sent: only an answer given before reading it can come.
    const refused = ingestionWithHeldBody(collector.url, traceBatch());
    const refusal = await refused.answer;
    refused.abort();
    expect(refusal).toMatchObject({ status: 503, retryAfter: '1', body: { error: 'overloaded' } });
    expect((refusal.body as { message: string }).message).toMatch(/SPANLITE_MAX_QUEUE_DELAY_MS/);

    inProgress.sendBody();
    expect((await inProgress.answer).status).toBe(207);
    const admitted = ingestionWithHeldBody(collector.url, traceBatch());
    admitted.sendBody();
    expect((await admitted.answer).status).toBe(207);
  }, TEST_LIMIT_MS);

  it('sheds OTLP exports and ingestion alike: one admission for both', async () => {
    const inProgress = await slowSecond(collector.url);

    const otlp = await fetch(collector.tracesEndpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(otlp.status).toBe(503);
    expect(otlp.headers.get('retry-after')).toBe('1');

    inProgress.sendBody();
    expect((await inProgress.answer).status).toBe(207);
  }, TEST_LIMIT_MS);
});
