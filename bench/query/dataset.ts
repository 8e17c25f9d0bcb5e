/**
 * An LLM-like dataset for the query benchmark, generated deterministically and loaded in bulk:
 * rows are inserted with plain SQL into a database at the schema before the query migration,
 * then the store opens it and the migration builds its rollups and full-text index from them in
 * set-based statements. That is the fastest load, and it runs the upgrade path at scale.
 *
 * Each trace: a root chain (the user's question in, the answer out), a retriever, two
 * generations on one of five models with token usage and cost, a tool call (2% ERROR, 3%
 * WARNING) and a post-processing span; two scores (helpfulness 0-1, toxicity mostly 0). Words
 * follow a Zipf distribution over a 3,000-word vocabulary (support-desk words first, then
 * made-up ones), as real text does: a few words are in almost every trace, most in few. About
 * 15% of questions start in Chinese, Russian or Arabic. 20,000 users, sessions of 5 traces, 60
 * days ending END_MS.
 */
import Database from 'better-sqlite3';
import { applyMigration, MIGRATIONS } from '../../collector/store/sqlite/schema/schema.js';
import { QUERY_API_MIGRATION } from '../../collector/store/sqlite/schema/query-migration.js';

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

/** Creates `file` at the schema before the query migration and fills it with `traceCount` traces. */
export function loadDataset(file: string, traceCount: number, progress: LoadProgress): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  db.pragma('temp_store = MEMORY');
  // The query migration builds its rollups and full-text index from the loaded rows; migrations
  // appended after it (API keys, indexes) run at open too.
  const before = MIGRATIONS.indexOf(QUERY_API_MIGRATION);
  for (let version = 1; version <= before; version++) applyMigration(db, MIGRATIONS[version - 1]!);
  db.pragma(`user_version = ${before}`);

  const insertTrace = db.prepare(`INSERT INTO traces (project_id, id, name, user_id, session_id, release, version, environment,
    tags, metadata, input, output, public, start_time_ns, end_time_ns, total_cost, input_tokens, output_tokens, total_tokens,
    fact_ranks, created_at_ms, updated_at_ms) VALUES ('default', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, '{}', ?, ?)`);
  const insertTag = db.prepare(`INSERT INTO trace_tags (project_id, trace_id, tag) VALUES ('default', ?, ?)`);
  const insertObservation = db.prepare(`INSERT INTO observations (project_id, trace_id, id, parent_observation_id, type, name,
    start_time_ns, end_time_ns, level, status_message, model, model_parameters, input, output, metadata, input_tokens,
    output_tokens, total_tokens, cost_details, total_cost, counts_in_trace_totals, attributes, resource_attributes,
    scope_name, scope_version) VALUES ('default', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', ?, ?, ?, ?, ?, 1, '{}',
    '{"service.name":"support-bot"}', 'bench', '1.0.0')`);
  const insertScore = db.prepare(`INSERT INTO scores (project_id, id, trace_id, observation_id, name, value, string_value,
    data_type, comment, source, time_ns, metadata, created_at_ms, updated_at_ms)
    VALUES ('default', ?, ?, NULL, ?, ?, NULL, 'NUMERIC', NULL, 'EVAL', ?, '{}', ?, ?)`);

  const random = prng(0x5eed);
  const firstMs = END_MS - SPAN_DAYS * DAY_MS;
  const stepMs = (SPAN_DAYS * DAY_MS) / traceCount;
  const loadChunk = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) writeTrace(i);
  });

  function question(): string {
    const pick = random();
    const script = pick < 0.05 ? CHINESE : pick < 0.1 ? RUSSIAN : pick < 0.15 ? ARABIC : null;
    const base = words(random, 10 + Math.floor(random() * 10));
    return script === null ? base : `${script[Math.floor(random() * script.length)]} ${base}`;
  }

  function writeTrace(i: number): void {
    const traceId = hex(random, 32);
    const startMs = Math.floor(firstMs + i * stepMs + random() * stepMs);
    const durationMs = Math.floor(500 + random() * random() * 15_000);
    const start = BigInt(startMs) * NS_PER_MS;
    const end = start + BigInt(durationMs) * NS_PER_MS;
    const session = Math.floor(i / TRACES_PER_SESSION);
    const user = `user-${(session * 7919) % USERS}`;
    const ask = question();
    const answer = words(random, 25 + Math.floor(random() * 25));
    const tags = [random() < 0.5 ? 'production' : TAGS[1 + Math.floor(random() * (TAGS.length - 1))]!];
    if (random() < 0.3) tags.push(TAGS[Math.floor(random() * TAGS.length)]!);
    const uniqueTags = [...new Set(tags)].sort();
    const levelDraw = random();
    const toolLevel = levelDraw < 0.02 ? 'ERROR' : levelDraw < 0.05 ? 'WARNING' : 'DEFAULT';
    const ids = Array.from({ length: OBSERVATIONS_PER_TRACE }, () => hex(random, 16));
    const [rootId, retrievalId, planId, toolId, answerId, postId] = ids as [string, string, string, string, string, string];

    const generations = [0, 1].map(() => {
      const model = MODELS[Math.floor(random() * MODELS.length)]!;
      const input = 300 + Math.floor(random() * 1200);
      const output = 50 + Math.floor(random() * 250);
      return { model, input, output, cost: input * model.input + output * model.output };
    });
    const totalCost = generations[0]!.cost + generations[1]!.cost;
    const inputTokens = generations[0]!.input + generations[1]!.input;
    const outputTokens = generations[0]!.output + generations[1]!.output;

    insertTrace.run(
      traceId,
      TRACE_NAMES[Math.floor(random() * TRACE_NAMES.length)],
      user,
      `session-${session}`,
      `v1.${Math.floor(i / (traceCount / 12))}`,
      '2.3.0',
      random() < 0.9 ? 'production' : 'staging',
      JSON.stringify(uniqueTags),
      JSON.stringify({ plan: ['free', 'pro', 'enterprise'][Math.floor(random() * 3)], region: random() < 0.5 ? 'eu' : 'us' }),
      JSON.stringify({ question: ask }),
      JSON.stringify({ answer }),
      start,
      end,
      totalCost,
      inputTokens,
      outputTokens,
      inputTokens + outputTokens,
      startMs,
      startMs,
    );
    for (const tag of uniqueTags) insertTag.run(traceId, tag);

    const at = (fraction: number) => start + BigInt(Math.floor(durationMs * fraction)) * NS_PER_MS;
    const observation = (
      id: string,
      parent: string | null,
      type: string,
      name: string,
      from: number,
      to: number,
      fields: { level?: string; model?: string; input?: unknown; output?: unknown; usage?: (typeof generations)[number] } = {},
    ) => {
      const usage = fields.usage;
      insertObservation.run(
        traceId,
        id,
        parent,
        type,
        name,
        at(from),
        at(to),
        fields.level ?? 'DEFAULT',
        fields.level === 'ERROR' ? 'order service timed out' : null,
        fields.model ?? null,
        fields.model === undefined ? null : '{"temperature":0.2}',
        fields.input === undefined ? null : JSON.stringify(fields.input),
        fields.output === undefined ? null : JSON.stringify(fields.output),
        usage?.input ?? null,
        usage?.output ?? null,
        usage === undefined ? null : usage.input + usage.output,
        usage === undefined ? null : JSON.stringify({ input: usage.input * usage.model.input, output: usage.output * usage.model.output, total: usage.cost }),
        usage?.cost ?? null,
      );
    };
    observation(rootId, null, 'CHAIN', 'handle-request', 0, 1, { input: { question: ask }, output: { answer } });
    observation(retrievalId, rootId, 'RETRIEVER', 'retrieve-docs', 0.02, 0.1, {
      input: { query: ask },
      output: [words(random, 12), words(random, 12)],
    });
    const [plan, reply] = generations as [(typeof generations)[number], (typeof generations)[number]];
    observation(planId, rootId, 'GENERATION', 'llm-plan', 0.1, 0.45, {
      model: plan.model.name,
      usage: plan,
      input: [{ role: 'system', content: SYSTEM_PROMPT }, { role: 'user', content: ask }],
      output: [{ role: 'assistant', content: words(random, 15) }],
    });
    observation(toolId, rootId, 'TOOL', 'lookup_order', 0.45, 0.55, {
      level: toolLevel,
      input: { order_id: `ORD-${Math.floor(random() * 1e8)}` },
      output: { status: toolLevel === 'ERROR' ? 'timeout' : 'shipped' },
    });
    observation(answerId, rootId, 'GENERATION', 'llm-answer', 0.55, 0.95, {
      model: reply.model.name,
      usage: reply,
      input: [{ role: 'user', content: ask }],
      output: [{ role: 'assistant', content: answer }],
    });
    observation(postId, rootId, 'SPAN', 'postprocess', 0.95, 1);

    const scoredAt = end + 1_000n * NS_PER_MS;
    const scoredMs = startMs + durationMs + 1000;
    insertScore.run(`${traceId}-h`, traceId, 'helpfulness', Math.round(random() * 1000) / 1000, scoredAt, scoredMs, scoredMs);
    insertScore.run(`${traceId}-t`, traceId, 'toxicity', random() < 0.97 ? 0 : Math.round(random() * 100) / 100, scoredAt, scoredMs, scoredMs);
  }

  const chunk = 10_000;
  for (let from = 0; from < traceCount; from += chunk) {
    loadChunk(from, Math.min(traceCount, from + chunk));
    progress(Math.min(traceCount, from + chunk), traceCount);
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}
