/**
 * LLM-like OTLP protobuf export batches for the ingest benchmark.
 *
 * A batch is `traceCount` agent runs of 8 spans each (agent root; chat, tool, embeddings and
 * chat children), one resource and one scope, with 1-2 KB chat messages in
 * gen_ai.input.messages / gen_ai.output.messages, model and usage attributes, a few span events
 * and two gen_ai.evaluation.result score events per trace. A template is encoded once; each
 * request stamps fresh random trace and span ids and current timestamps into it in place.
 */
import { Buffer } from 'node:buffer';
import * as genAi from '../../semconv/gen-ai.js';
import * as otel from '../../semconv/otel.js';
import * as ours from '../../semconv/spanlite.js';
import { MessageWriter, writeAttributes, type BenchAttributeValue, type Mark } from './otlp-encoder.js';

/** Spans in one trace of the batch; the shape below is fixed. */
export const SPANS_PER_TRACE = 8;
/** gen_ai.evaluation.result events per trace (they become scores, not observations). */
export const SCORES_PER_TRACE = 2;

const TRACE_ID_BYTES = 16;
const SPAN_ID_BYTES = 8;
const NS_PER_MS = 1_000_000;

/** A body with the byte offsets of everything stamped per request. */
export interface BatchTemplate {
  body: Buffer;
  traceCount: number;
  spanCount: number;
  traceIdAt: PatchList;
  spanIdAt: PatchList;
  parentSpanIdAt: PatchList;
  /** `ref` is an index into `timeOffsetsNs`. */
  timeAt: PatchList;
  /** Each timestamp relative to the batch start, in nanoseconds. */
  timeOffsetsNs: bigint[];
}

/** Parallel arrays: write the value numbered `refs[i]` at `offsets[i]`. */
export interface PatchList {
  offsets: Uint32Array;
  refs: Uint32Array;
}

/** Random bytes a stamp consumes: one trace id per trace, one span id per span. */
export function stampEntropyBytes(template: BatchTemplate): number {
  return template.traceCount * TRACE_ID_BYTES + template.spanCount * SPAN_ID_BYTES;
}

/**
 * Writes the ids in `entropy` (see stampEntropyBytes) and timestamps from `batchStartNs` into the
 * template body, in place. Returns the batch's trace ids in hex.
 */
export function stampBatch(template: BatchTemplate, entropy: Buffer, batchStartNs: bigint): string[] {
  const { body } = template;
  const spanIdsStart = template.traceCount * TRACE_ID_BYTES;
  copyEach(body, template.traceIdAt, entropy, 0, TRACE_ID_BYTES);
  copyEach(body, template.spanIdAt, entropy, spanIdsStart, SPAN_ID_BYTES);
  copyEach(body, template.parentSpanIdAt, entropy, spanIdsStart, SPAN_ID_BYTES);
  const { offsets, refs } = template.timeAt;
  for (let i = 0; i < offsets.length; i++) {
    body.writeBigUInt64LE(batchStartNs + template.timeOffsetsNs[refs[i]!]!, offsets[i]!);
  }
  const traceIds = new Array<string>(template.traceCount);
  for (let t = 0; t < template.traceCount; t++) {
    traceIds[t] = entropy.toString('hex', t * TRACE_ID_BYTES, (t + 1) * TRACE_ID_BYTES);
  }
  return traceIds;
}

function copyEach(body: Buffer, at: PatchList, source: Buffer, sourceStart: number, width: number): void {
  for (let i = 0; i < at.offsets.length; i++) {
    const from = sourceStart + at.refs[i]! * width;
    source.copy(body, at.offsets[i]!, from, from + width);
  }
}

/** Builds one template; `variant` seeds the text so templates differ from each other. */
export function buildBatchTemplate(options: { traceCount: number; variant: number }): BatchTemplate {
  const random = mulberry32(0x5eed + options.variant * 7919);
  const times: bigint[] = [];
  const scopeSpans = new MessageWriter().message(1, new MessageWriter().string(1, '@spanlite/bench-agent').string(2, '1.0.0'));
  for (let t = 0; t < options.traceCount; t++) {
    for (const span of traceSpans(t, options.traceCount, random, times)) scopeSpans.message(2, span);
  }
  const resource = writeAttributes(new MessageWriter(), 1, RESOURCE_ATTRIBUTES);
  const resourceSpans = new MessageWriter().message(1, resource).message(2, scopeSpans);
  const request = new MessageWriter().message(1, resourceSpans);

  const marksOf = (kind: Mark['kind']): PatchList => {
    const marks = request.marks.filter((mark) => mark.kind === kind);
    return { offsets: Uint32Array.from(marks, (m) => m.offset), refs: Uint32Array.from(marks, (m) => m.ref) };
  };
  return {
    body: request.finish(),
    traceCount: options.traceCount,
    spanCount: options.traceCount * SPANS_PER_TRACE,
    traceIdAt: marksOf('traceId'),
    spanIdAt: marksOf('spanId'),
    parentSpanIdAt: marksOf('parentSpanId'),
    timeAt: marksOf('time'),
    timeOffsetsNs: times,
  };
}

const RESOURCE_ATTRIBUTES: Record<string, BenchAttributeValue> = {
  [otel.SERVICE_NAME]: 'support-bot',
  [otel.SERVICE_VERSION]: '2.14.1',
  [otel.DEPLOYMENT_ENVIRONMENT_NAME]: 'bench',
  'telemetry.sdk.name': 'opentelemetry',
  'telemetry.sdk.language': 'nodejs',
  'telemetry.sdk.version': '2.12.1',
  'host.name': 'bench-host-01',
  'process.pid': 4242,
};

const SPAN_KIND_INTERNAL = 1;
const SPAN_KIND_CLIENT = 3;
const STATUS_ERROR = 2;

interface SpanPlan {
  name: string;
  kind: number;
  /** Index within the trace; null for the root. */
  parent: number | null;
  startMs: number;
  durationMs: number;
  attributes: Record<string, BenchAttributeValue>;
  events: { name: string; atMs: number; attributes: Record<string, BenchAttributeValue> }[];
  error?: string;
}

/** The 8 spans of trace `t`, encoded, with their ids and times marked for stamping. */
function traceSpans(t: number, traceCount: number, random: () => number, times: bigint[]): MessageWriter[] {
  const text = (minChars: number, maxChars: number) => prose(random, minChars + Math.floor(random() * (maxChars - minChars)));
  const question = text(200, 500);
  const answer = text(1000, 1800);
  const plans: SpanPlan[] = [
    {
      name: 'invoke_agent support-agent',
      kind: SPAN_KIND_INTERNAL,
      parent: null,
      startMs: 0,
      durationMs: 9000,
      attributes: {
        [genAi.GEN_AI_OPERATION_NAME]: genAi.GenAiOperation.INVOKE_AGENT,
        [genAi.GEN_AI_AGENT_NAME]: 'support-agent',
        [genAi.GEN_AI_CONVERSATION_ID]: `conv-${t % 97}-${Math.floor(random() * 1e6)}`,
        [ours.SPANLITE_TRACE_USER_ID]: `user-${Math.floor(random() * 5000)}`,
        [ours.SPANLITE_TRACE_TAGS]: ['bench', t % 2 === 0 ? 'billing' : 'shipping'],
        [genAi.GEN_AI_INPUT_MESSAGES]: messagesJson([['user', question]]),
        [genAi.GEN_AI_OUTPUT_MESSAGES]: messagesJson([['assistant', answer.slice(0, 600)]], 'stop'),
      },
      events: [evaluation('helpfulness', { value: Math.round(random() * 100) / 100 }, text(80, 200), 8990)],
    },
    chatSpan(random, text, { parent: 0, startMs: 100, model: 'gpt-4o', question, finish: 'tool_calls' }),
    {
      name: 'execute_tool search_knowledge_base',
      kind: SPAN_KIND_INTERNAL,
      parent: 0,
      startMs: 1800,
      durationMs: 900,
      attributes: {
        [genAi.GEN_AI_OPERATION_NAME]: genAi.GenAiOperation.EXECUTE_TOOL,
        [genAi.GEN_AI_TOOL_NAME]: 'search_knowledge_base',
        [genAi.GEN_AI_TOOL_CALL_ARGUMENTS]: JSON.stringify({ query: question.slice(0, 120), top_k: 5 }),
        [genAi.GEN_AI_TOOL_CALL_RESULT]: JSON.stringify({ documents: [text(200, 300), text(200, 300), text(200, 300)] }),
      },
      events: [],
    },
    {
      name: 'embeddings text-embedding-3-small',
      kind: SPAN_KIND_CLIENT,
      parent: 2,
      startMs: 1810,
      durationMs: 120,
      attributes: {
        [genAi.GEN_AI_OPERATION_NAME]: genAi.GenAiOperation.EMBEDDINGS,
        [genAi.GEN_AI_PROVIDER_NAME]: 'openai',
        [genAi.GEN_AI_REQUEST_MODEL]: 'text-embedding-3-small',
        [genAi.GEN_AI_USAGE_INPUT_TOKENS]: 40 + Math.floor(random() * 80),
      },
      events: [],
    },
    chatSpan(random, text, { parent: 0, startMs: 2800, model: 'gpt-4o', question, finish: 'tool_calls' }),
    {
      name: 'execute_tool lookup_order',
      kind: SPAN_KIND_INTERNAL,
      parent: 0,
      startMs: 4500,
      durationMs: 300,
      attributes: {
        [genAi.GEN_AI_OPERATION_NAME]: genAi.GenAiOperation.EXECUTE_TOOL,
        [genAi.GEN_AI_TOOL_NAME]: 'lookup_order',
        [genAi.GEN_AI_TOOL_CALL_ARGUMENTS]: JSON.stringify({ order_id: `ORD-${Math.floor(random() * 1e8)}` }),
        [genAi.GEN_AI_TOOL_CALL_RESULT]: JSON.stringify({ status: 'shipped', carrier: 'UPS', items: 3, note: text(100, 300) }),
      },
      events: [],
      ...(t % 8 === 3 ? { error: 'order service timed out' } : {}),
    },
    chatSpan(random, text, { parent: 0, startMs: 4900, model: 'gpt-4o-mini', question, finish: 'stop' }),
    chatSpan(random, text, { parent: 0, startMs: 6500, model: 'gpt-4o', question, finish: 'stop', output: answer }),
  ];
  plans[7]!.events.push(evaluation('faithfulness', { value: 1, label: 'pass' }, text(80, 200), 8900));

  const traceStartMs = Math.floor((t / traceCount) * 2000);
  return plans.map((plan, index) => encodeSpan(plan, t, t * SPANS_PER_TRACE, index, traceStartMs, times));
}

function chatSpan(
  random: () => number,
  text: (min: number, max: number) => string,
  options: { parent: number; startMs: number; model: string; question: string; finish: string; output?: string },
): SpanPlan {
  const system = text(400, 700);
  const input = messagesJson([
    ['system', system],
    ['user', options.question],
    ['assistant', text(100, 600)],
  ]);
  const output = messagesJson([['assistant', options.output ?? text(1000, 1800)]], options.finish);
  const inputTokens = Math.round(input.length / 4);
  const outputTokens = Math.round(output.length / 4);
  return {
    name: `chat ${options.model}`,
    kind: SPAN_KIND_CLIENT,
    parent: options.parent,
    startMs: options.startMs,
    durationMs: 1200 + Math.floor(random() * 400),
    attributes: {
      [genAi.GEN_AI_OPERATION_NAME]: genAi.GenAiOperation.CHAT,
      [genAi.GEN_AI_PROVIDER_NAME]: 'openai',
      [genAi.GEN_AI_REQUEST_MODEL]: options.model,
      [genAi.GEN_AI_RESPONSE_MODEL]: `${options.model}-2024-08-06`,
      [genAi.GEN_AI_REQUEST_TEMPERATURE]: 0.2,
      [genAi.GEN_AI_REQUEST_MAX_TOKENS]: 1024,
      [genAi.GEN_AI_RESPONSE_ID]: `chatcmpl-${Math.floor(random() * 1e12).toString(36)}`,
      [genAi.GEN_AI_RESPONSE_FINISH_REASONS]: [options.finish],
      [genAi.GEN_AI_USAGE_INPUT_TOKENS]: inputTokens,
      [genAi.GEN_AI_USAGE_OUTPUT_TOKENS]: outputTokens,
      [genAi.GEN_AI_INPUT_MESSAGES]: input,
      [genAi.GEN_AI_OUTPUT_MESSAGES]: output,
    },
    events: [{ name: 'gen_ai.choice', atMs: options.startMs + 350, attributes: { index: 0, finish_reason: options.finish } }],
  };
}

function evaluation(name: string, score: { value: number; label?: string }, explanation: string, atMs: number): SpanPlan['events'][number] {
  return {
    name: genAi.GEN_AI_EVALUATION_RESULT_EVENT,
    atMs,
    attributes: {
      [genAi.GEN_AI_EVALUATION_NAME]: name,
      [genAi.GEN_AI_EVALUATION_SCORE_VALUE]: score.value,
      ...(score.label === undefined ? {} : { [genAi.GEN_AI_EVALUATION_SCORE_LABEL]: score.label }),
      [genAi.GEN_AI_EVALUATION_EXPLANATION]: explanation,
    },
  };
}

/** OTLP Span field order is free; ids and times first keeps the marks simple to read. */
function encodeSpan(
  plan: SpanPlan,
  traceIndex: number,
  firstSpanOfTrace: number,
  index: number,
  traceStartMs: number,
  times: bigint[],
): MessageWriter {
  const time = (ms: number): { kind: 'time'; ref: number } => {
    times.push(BigInt(Math.round((traceStartMs + ms) * NS_PER_MS)));
    return { kind: 'time', ref: times.length - 1 };
  };
  const zeros = (bytes: number) => new Uint8Array(bytes);
  const span = new MessageWriter()
    .bytes(1, zeros(TRACE_ID_BYTES), { kind: 'traceId', ref: traceIndex })
    .bytes(2, zeros(SPAN_ID_BYTES), { kind: 'spanId', ref: firstSpanOfTrace + index });
  if (plan.parent !== null) span.bytes(4, zeros(SPAN_ID_BYTES), { kind: 'parentSpanId', ref: firstSpanOfTrace + plan.parent });
  span
    .string(5, plan.name)
    .varint(6, plan.kind)
    .fixed64(7, 0n, time(plan.startMs))
    .fixed64(8, 0n, time(plan.startMs + plan.durationMs));
  writeAttributes(span, 9, plan.attributes);
  const events = plan.error
    ? [
        ...plan.events,
        {
          name: otel.EXCEPTION_EVENT,
          atMs: plan.startMs + plan.durationMs,
          attributes: {
            [otel.EXCEPTION_TYPE]: 'TimeoutError',
            [otel.EXCEPTION_MESSAGE]: plan.error,
            [otel.EXCEPTION_STACKTRACE]: `TimeoutError: ${plan.error}\n    at lookupOrder (/app/tools/orders.js:88:11)\n    at async runTool (/app/agent.js:140:20)`,
          },
        },
      ]
    : plan.events;
  for (const event of events) {
    const encoded = new MessageWriter().fixed64(1, 0n, time(event.atMs)).string(2, event.name);
    span.message(11, writeAttributes(encoded, 3, event.attributes));
  }
  if (plan.error) span.message(15, new MessageWriter().string(2, plan.error).varint(3, STATUS_ERROR));
  return span;
}

function messagesJson(messages: [role: string, content: string][], finishReason?: string): string {
  return JSON.stringify(
    messages.map(([role, content]) => ({
      role,
      parts: [{ type: 'text', content }],
      ...(finishReason === undefined ? {} : { finish_reason: finishReason }),
    })),
  );
}

const WORDS = (
  'the order customer refund shipping account invoice please could you check status delivery package ' +
  'tracking number policy return window days support agent answer question billing address payment card ' +
  'charged twice update email subscription plan premium basic cancel renew discount code applied total ' +
  'warehouse carrier delayed weather estimate arrival confirm thanks sorry inconvenience escalate ticket'
).split(' ');

function prose(random: () => number, chars: number): string {
  let out = '';
  while (out.length < chars) {
    const sentence: string[] = [];
    const words = 6 + Math.floor(random() * 12);
    for (let i = 0; i < words; i++) sentence.push(WORDS[Math.floor(random() * WORDS.length)]!);
    const first = sentence[0]!;
    sentence[0] = first[0]!.toUpperCase() + first.slice(1);
    out += (out === '' ? '' : ' ') + sentence.join(' ') + '.';
  }
  return out.slice(0, chars);
}

/** Small seeded PRNG so templates are reproducible run to run. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
