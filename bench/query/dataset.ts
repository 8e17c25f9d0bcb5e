/**
 * An LLM-like dataset for the query benchmark, generated deterministically and written through
 * the store's own write path (`writeBatches`), so that rollups, trace keys, the full-text index
 * and its segments are exactly what ingest builds: each commit is one group of batches as the
 * write queue forms under bench:ingest's load (TRACES_PER_COMMIT), followed by the store's word
 * index merge step.
 *
 * Each trace: a root chain (the user's question in, the answer out), a retriever, two
 * generations on one of five models with token usage and cost, a tool call (2% ERROR, 3%
 * WARNING) and a post-processing span; two scores (helpfulness 0-1, toxicity mostly 0). Words
 * follow a Zipf distribution over a 3,000-word vocabulary (support-desk words first, then
 * made-up ones), as real text does: a few words are in almost every trace, most in few. About
 * 15% of questions start in Chinese, Russian or Arabic. 20,000 users, sessions of 5 traces, 60
 * days ending END_MS.
 */
import type { CostDetails, JsonValue, MappedSpan, Observation, ObservationType, Score, TraceFacts, UsageDetails } from '../../collector/model.js';
import type { SpanBatch, TraceStore } from '../../collector/store/contract.js';

export const OBSERVATIONS_PER_TRACE = 6;
export const END_MS = Date.UTC(2025, 0, 31);
export const SPAN_DAYS = 60;
const DAY_MS = 86_400_000;
const NS_PER_MS = 1_000_000n;
export const USERS = 20_000;
export const TRACES_PER_SESSION = 5;
export const TRACE_NAMES = ['support-chat', 'order-status', 'refund-request', 'product-qa', 'summarize-ticket', 'classify-intent', 'draft-reply', 'translate', 'search-docs', 'onboarding'];
export const TAGS = ['production', 'beta', 'mobile', 'web', 'api', 'eu', 'us', 'vip', 'experiment-a', 'experiment-b'];

export const MODELS = [
  { name: 'gpt-4o-mini', input: 0.15e-6, output: 0.6e-6 },
  { name: 'gpt-4o', input: 2.5e-6, output: 10e-6 },
  { name: 'claude-3-5-sonnet', input: 3e-6, output: 15e-6 },
  { name: 'gemini-1.5-flash', input: 0.075e-6, output: 0.3e-6 },
  { name: 'mistral-large', input: 2e-6, output: 6e-6 },
] as const;

export const ENGLISH = (
  'order refund shipping account invoice please check status delivery package tracking number policy return window ' +
  'days support agent answer question billing address payment card charged twice update email subscription plan ' +
  'premium basic cancel renew discount code applied total warehouse carrier delayed weather estimate arrival ' +
  'confirm thanks sorry inconvenience escalate ticket password reset login device browser error timeout receipt ' +
  'exchange size color warranty repair replacement battery screen broken damaged missing item quantity price'
).split(' ');
/** The vocabulary, most frequent first: the English words, then pronounceable made-up ones. */
export const VOCABULARY: readonly string[] = (() => {
  const syllables = ['ka', 'ri', 'to', 'mel', 'sun', 'dra', 'vo', 'len', 'pi', 'gor', 'ex', 'tha', 'quin', 'bel', 'zo', 'ram'];
  const made: string[] = [];
  for (let i = 0; made.length < 3000 - ENGLISH.length; i++) {
    made.push(`${syllables[i % 16]}${syllables[Math.floor(i / 16) % 16]}${syllables[Math.floor(i / 256) % 16]}`);
  }
  return [...ENGLISH, ...made];
})();

/** Cumulative Zipf (s = 1) weights over VOCABULARY. */
const ZIPF_CUMULATIVE: Float64Array = (() => {
  const cumulative = new Float64Array(VOCABULARY.length);
  let sum = 0;
  for (let rank = 0; rank < VOCABULARY.length; rank++) cumulative[rank] = sum += 1 / (rank + 1);
  for (let rank = 0; rank < VOCABULARY.length; rank++) cumulative[rank]! /= sum;
  return cumulative;
})();

function zipfWord(random: () => number): string {
  const draw = random();
  let low = 0;
  let high = ZIPF_CUMULATIVE.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (ZIPF_CUMULATIVE[middle]! < draw) low = middle + 1;
    else high = middle;
  }
  return VOCABULARY[low]!;
}

export const CHINESE = ['如何重置我的密码', '我的订单还没有到', '请帮我取消订阅', '退款需要多长时间', '发票地址错误'];
export const RUSSIAN = ['Как сбросить пароль', 'Мой заказ не пришёл', 'Верните деньги пожалуйста', 'Где моя посылка', 'Ошибка при оплате'];
export const ARABIC = ['أين طلبي', 'كيف أعيد تعيين كلمة المرور', 'أريد استرداد المبلغ', 'الشحنة متأخرة', 'خطأ في الفاتورة'];

const SYSTEM_PROMPT =
  'You are a helpful support assistant for an online store. Answer briefly, cite the order status when known, ' +
  'never invent tracking numbers, and escalate to a human when the customer asks twice.';

/** mulberry32: a small deterministic PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hex(random: () => number, chars: number): string {
  let out = '';
  while (out.length < chars) out += Math.floor(random() * 0x100000000).toString(16).padStart(8, '0');
  return out.slice(0, chars);
}

function words(random: () => number, count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(zipfWord(random));
  return out.join(' ');
}

export interface LoadProgress {
  (loaded: number, total: number): void;
}

const PROJECT_ID = 'default';
/** Traces per batch (one export request of 384 spans) and batches per commit: bench:ingest's group commit of four requests. */
const TRACES_PER_BATCH = 64;
const BATCHES_PER_COMMIT = 4;
export const TRACES_PER_COMMIT = TRACES_PER_BATCH * BATCHES_PER_COMMIT;
const RESOURCE = Object.freeze({ 'service.name': 'support-bot' });
const SCOPE = Object.freeze({ name: 'bench', version: '1.0.0' });

/**
 * Writes `traceCount` traces into `store` through its write path, `commitsInFlight` group
 * commits at a time (1: one after the other, as one collector's write queue commits; more: as
 * several collectors share a PostgreSQL database). The caller opens and closes the store.
 */
export async function loadDataset(store: TraceStore, traceCount: number, progress: LoadProgress, commitsInFlight = 1): Promise<void> {
  const nextTrace = createTraceGenerator(traceCount);
  const inFlight = new Set<Promise<void>>();
  const commit = async (from: number, batches: SpanBatch[]): Promise<void> => {
    const failed = (await store.writeBatches(batches)).find((outcome) => !outcome.ok);
    if (failed !== undefined && !failed.ok) throw new Error(`load failed at trace ${from}: ${failed.error.message}`, { cause: failed.error });
  };
  let committed = 0;
  for (let from = 0; from < traceCount; from += TRACES_PER_COMMIT) {
    const to = Math.min(traceCount, from + TRACES_PER_COMMIT);
    const batches: SpanBatch[] = [];
    for (let at = from; at < to; at += TRACES_PER_BATCH) {
      const spans: MappedSpan[] = [];
      for (let i = at; i < Math.min(to, at + TRACES_PER_BATCH); i++) spans.push(...nextTrace(i));
      batches.push({ projectId: PROJECT_ID, spans });
    }
    // As the write queue does between groups: a turn of the event loop, where the WAL
    // checkpointer's reports arrive (store/sqlite/upkeep/wal-checkpointer.ts).
    await new Promise((resolve) => setImmediate(resolve));
    const pending = commit(from, batches).then(() => {
      inFlight.delete(pending);
      committed += to - from;
      progress(committed, traceCount);
    });
    pending.catch(() => undefined); // a failure is raised by the race or the final wait below
    inFlight.add(pending);
    if (inFlight.size >= commitsInFlight) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
}

interface Generation {
  model: (typeof MODELS)[number];
  input: number;
  output: number;
  cost: number;
}

/** Trace `i`'s spans, mapped as the pipeline maps them; call with i = 0, 1, 2... in order. */
function createTraceGenerator(traceCount: number): (i: number) => MappedSpan[] {
  const random = prng(0x5eed);
  const firstMs = END_MS - SPAN_DAYS * DAY_MS;
  const stepMs = (SPAN_DAYS * DAY_MS) / traceCount;

  function question(): string {
    const pick = random();
    const script = pick < 0.05 ? CHINESE : pick < 0.1 ? RUSSIAN : pick < 0.15 ? ARABIC : null;
    const base = words(random, 10 + Math.floor(random() * 10));
    return script === null ? base : `${script[Math.floor(random() * script.length)]} ${base}`;
  }

  return (i) => {
    const traceId = hex(random, 32);
    const startMs = Math.floor(firstMs + i * stepMs + random() * stepMs);
    const durationMs = Math.floor(500 + random() * random() * 15_000);
    const start = BigInt(startMs) * NS_PER_MS;
    const end = start + BigInt(durationMs) * NS_PER_MS;
    const session = Math.floor(i / TRACES_PER_SESSION);
    const ask = question();
    const answer = words(random, 25 + Math.floor(random() * 25));
    const tags = [random() < 0.5 ? 'production' : TAGS[1 + Math.floor(random() * (TAGS.length - 1))]!];
    if (random() < 0.3) tags.push(TAGS[Math.floor(random() * TAGS.length)]!);
    const levelDraw = random();
    const toolLevel = levelDraw < 0.02 ? 'ERROR' : levelDraw < 0.05 ? 'WARNING' : 'DEFAULT';
    const ids = Array.from({ length: OBSERVATIONS_PER_TRACE }, () => hex(random, 16));
    const [rootId, retrievalId, planId, toolId, answerId, postId] = ids as [string, string, string, string, string, string];
    const [plan, reply] = [0, 1].map((): Generation => {
      const model = MODELS[Math.floor(random() * MODELS.length)]!;
      const input = 300 + Math.floor(random() * 1200);
      const output = 50 + Math.floor(random() * 250);
      return { model, input, output, cost: input * model.input + output * model.output };
    }) as [Generation, Generation];

    const at = (fraction: number) => start + BigInt(Math.floor(durationMs * fraction)) * NS_PER_MS;
    const span = (
      id: string,
      parent: string | null,
      type: ObservationType,
      name: string,
      from: number,
      to: number,
      fields: {
        level?: Observation['level'];
        input?: JsonValue;
        output?: JsonValue;
        generation?: Generation;
        traceFacts?: TraceFacts;
        scores?: Score[];
      } = {},
    ): MappedSpan => {
      const { generation } = fields;
      const usage: UsageDetails = generation === undefined ? {} : { input: generation.input, output: generation.output, total: generation.input + generation.output };
      const cost: CostDetails | null =
        generation === undefined
          ? null
          : { input: generation.input * generation.model.input, output: generation.output * generation.model.output, total: generation.cost };
      const observation: Observation = {
        id,
        traceId,
        parentObservationId: parent,
        type,
        name,
        startTimeUnixNano: at(from),
        endTimeUnixNano: at(to),
        completionStartTimeUnixNano: null,
        level: fields.level ?? 'DEFAULT',
        statusMessage: fields.level === 'ERROR' ? 'order service timed out' : null,
        version: null,
        model: generation?.model.name ?? null,
        modelProvider: null,
        modelParameters: generation === undefined ? null : { temperature: 0.2 },
        input: fields.input ?? null,
        output: fields.output ?? null,
        metadata: {},
        usage,
        reportedCost: null,
        cost,
        costMissingReason: null,
        countsInTraceTotals: true,
        rawAttributes: {},
        resourceAttributes: RESOURCE,
        scope: SCOPE,
      };
      // Ranked as the mapping ranks a span: start time, then span id.
      const rank = at(from).toString().padStart(20, '0') + id;
      return {
        observation,
        events: [],
        scores: fields.scores ?? [],
        trace: { traceId, rank, explicit: fields.traceFacts ?? {}, implicit: {}, startTimeUnixNano: at(from), endTimeUnixNano: at(to) },
      };
    };

    const traceFacts: TraceFacts = {
      name: TRACE_NAMES[Math.floor(random() * TRACE_NAMES.length)]!,
      userId: `user-${(session * 7919) % USERS}`,
      sessionId: `session-${session}`,
      release: `v1.${Math.floor(i / (traceCount / 12))}`,
      version: '2.3.0',
      environment: random() < 0.9 ? 'production' : 'staging',
      tags: [...new Set(tags)].sort(),
      metadata: { plan: ['free', 'pro', 'enterprise'][Math.floor(random() * 3)]!, region: random() < 0.5 ? 'eu' : 'us' },
      input: { question: ask },
      output: { answer },
    };
    const scoredAt = end + 1_000n * NS_PER_MS;
    const score = (suffix: string, name: string, value: number): Score => ({
      id: `${traceId}-${suffix}`,
      traceId,
      observationId: null,
      name,
      value,
      stringValue: null,
      dataType: 'NUMERIC',
      comment: null,
      source: 'EVAL',
      timeUnixNano: scoredAt,
      metadata: {},
    });
    const scores = [
      score('h', 'helpfulness', Math.round(random() * 1000) / 1000),
      score('t', 'toxicity', random() < 0.97 ? 0 : Math.round(random() * 100) / 100),
    ];
    return [
      span(rootId, null, 'CHAIN', 'handle-request', 0, 1, { input: { question: ask }, output: { answer }, traceFacts, scores }),
      span(retrievalId, rootId, 'RETRIEVER', 'retrieve-docs', 0.02, 0.1, { input: { query: ask }, output: [words(random, 12), words(random, 12)] }),
      span(planId, rootId, 'GENERATION', 'llm-plan', 0.1, 0.45, {
        generation: plan,
        input: [{ role: 'system', content: SYSTEM_PROMPT }, { role: 'user', content: ask }],
        output: [{ role: 'assistant', content: words(random, 15) }],
      }),
      span(toolId, rootId, 'TOOL', 'lookup_order', 0.45, 0.55, {
        level: toolLevel,
        input: { order_id: `ORD-${Math.floor(random() * 1e8)}` },
        output: { status: toolLevel === 'ERROR' ? 'timeout' : 'shipped' },
      }),
      span(answerId, rootId, 'GENERATION', 'llm-answer', 0.55, 0.95, {
        generation: reply,
        input: [{ role: 'user', content: ask }],
        output: [{ role: 'assistant', content: answer }],
      }),
      span(postId, rootId, 'SPAN', 'postprocess', 0.95, 1),
    ];
  };
}
