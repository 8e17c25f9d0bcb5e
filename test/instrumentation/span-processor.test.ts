import { context, trace, type AttributeValue } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { SESSION_ID, USER_ID } from '../../semconv/otel.js';
import {
  SPANLITE_OBSERVATION_INPUT,
  SPANLITE_TRACE_METADATA_PREFIX,
  SPANLITE_TRACE_NAME,
  SPANLITE_TRACE_SESSION_ID,
  SPANLITE_TRACE_TAGS,
  SPANLITE_TRACE_USER_ID,
} from '../../semconv/spanlite.js';
import { updateCurrentTrace } from '../../instrumentation/context-helpers.js';
import { startTrace } from '../../instrumentation/manual.js';
import { MASK_FAILED } from '../../instrumentation/mask.js';
import { observe } from '../../instrumentation/observe.js';
import { startTracing, type Harness } from './tracing-harness.js';

let harness: Harness;
afterEach(async () => harness.close());

const otherLib = () => trace.getTracer('some-http-instrumentation');

describe('trace attribute propagation', () => {
  it('puts trace attributes set by updateCurrentTrace on every span started afterwards (siblings and third-party spans included), not on earlier ones', async () => {
    harness = startTracing();
    await otherLib().startActiveSpan('request', async (root) => {
      const early = otherLib().startSpan('early');
      await observe(async function identify() {
        updateCurrentTrace({ userId: 'user_1', sessionId: 'session_1', name: 'chat', metadata: { plan: 'pro' } });
        await observe(async function nested() {})();
      })();
      await observe(async function laterSibling() {
        otherLib().startSpan('db.query').end();
      })();
      early.end();
      root.end();
    });

    const expected = {
      [SPANLITE_TRACE_USER_ID]: 'user_1',
      [USER_ID]: 'user_1',
      [SPANLITE_TRACE_SESSION_ID]: 'session_1',
      [SESSION_ID]: 'session_1',
      [SPANLITE_TRACE_NAME]: 'chat',
      [`${SPANLITE_TRACE_METADATA_PREFIX}plan`]: 'pro',
    };
    for (const name of ['identify', 'nested', 'laterSibling', 'db.query']) {
      expect((await harness.span(name)).attributes, name).toMatchObject(expected);
    }
    expect((await harness.span('request')).attributes[SPANLITE_TRACE_USER_ID]).toBeUndefined();
    expect((await harness.span('early')).attributes[SPANLITE_TRACE_USER_ID]).toBeUndefined();
  });

  it('merges tags across updates as a union', async () => {
    harness = startTracing();
    const root = startTrace({ name: 'tagged', tags: ['a', 'b'] });
    root.run(() => updateCurrentTrace({ tags: ['b', 'c'] }));
    root.span({ name: 'child' }).end();
    root.end();
    expect((await harness.span('child')).attributes[SPANLITE_TRACE_TAGS]).toEqual(['a', 'b', 'c']);
    expect((await harness.span('tagged')).attributes[SPANLITE_TRACE_TAGS]).toEqual(['a', 'b', 'c']);
  });

  it('forgets a trace once its local root ends', async () => {
    harness = startTracing();
    const root = startTrace({ name: 'short', userId: 'u' });
    root.end();
    const late = otherLib().startSpan('late', {}, trace.setSpan(context.active(), root.otelSpan));
    late.end();
    expect((await harness.span('late')).attributes[SPANLITE_TRACE_USER_ID]).toBeUndefined();
  });

  it('keeps at most maxTraces traces, forgetting the oldest first', async () => {
    harness = startTracing({ maxTraces: 2 });
    const traces = ['t1', 't2', 't3'].map((name) => startTrace({ name, userId: name }));
    for (const t of traces) t.span({ name: `${t.otelSpan.spanContext().traceId}-child` }).end();
    const userOfChild = async (i: number): Promise<AttributeValue | undefined> =>
      (await harness.span(`${traces[i]!.id}-child`)).attributes[SPANLITE_TRACE_USER_ID];
    expect(await userOfChild(0)).toBeUndefined();
    expect(await userOfChild(1)).toBe('t2');
    expect(await userOfChild(2)).toBe('t3');
    for (const t of traces) t.end();
  });
});

describe('masking', () => {
  it('redacts span and event attributes before export and leaves the live span untouched', async () => {
    const seen: string[] = [];
    harness = startTracing({
      mask: ({ key, value }) => {
        seen.push(key);
        if (key === 'secret') return undefined;
        return typeof value === 'string' ? value.replace(/[\w.]+@[\w.]+/g, '<email>') : value;
      },
    });
    const span = otherLib().startSpan('masked', { attributes: { [SPANLITE_OBSERVATION_INPUT]: '"mail bob@example.com"', secret: 'x', n: 1 } });
    span.addEvent('note', { text: 'from alice@example.com' });
    span.end();
    const exported = await harness.span('masked');
    expect(exported.attributes).toEqual({ [SPANLITE_OBSERVATION_INPUT]: '"mail <email>"', n: 1 });
    expect(exported.events[0]?.attributes).toEqual({ text: 'from <email>' });
    expect(exported.spanContext()).toEqual(span.spanContext());
    expect((span as unknown as { attributes: Record<string, unknown> }).attributes.secret).toBe('x');
    expect(seen).toContain('text');
  });

  it('replaces a value with a marker when the mask throws, failing closed', async () => {
    harness = startTracing({
      mask: () => {
        throw new Error('mask bug');
      },
    });
    otherLib().startSpan('broken-mask', { attributes: { [SPANLITE_OBSERVATION_INPUT]: '"secret"' } }).end();
    expect((await harness.span('broken-mask')).attributes[SPANLITE_OBSERVATION_INPUT]).toBe(MASK_FAILED);
  });
});

describe('scope filter', () => {
  it('exports only the scopes the filter accepts, always spanlite own spans, asking once per scope', async () => {
    const asked: string[] = [];
    harness = startTracing({
      scopeFilter: (scope) => {
        asked.push(scope.name);
        return scope.name.startsWith('openinference');
      },
    });
    for (let i = 0; i < 3; i++) {
      trace.getTracer('http').startSpan('GET /').end();
      trace.getTracer('openinference.openai').startSpan('ChatCompletion').end();
    }
    observe(function ours() {})();
    const names = (await harness.spans()).map((span) => span.name);
    expect(names.sort()).toEqual(['ChatCompletion', 'ChatCompletion', 'ChatCompletion', 'ours']);
    expect(asked.sort()).toEqual(['http', 'openinference.openai']);
  });
});
