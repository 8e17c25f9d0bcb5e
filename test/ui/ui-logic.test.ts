/**
 * The web UI's pure pieces, in Node: the traces list's URL filters, chat message recognition
 * across conventions, the observation tree, and how durations and costs read.
 */
import { describe, expect, it } from 'vitest';
import {
  filterChips,
  hasFilters,
  parseTraceFilters,
  splitConditions,
  traceFilterParams,
  withFilter,
  withoutFilter,
} from '../../ui/src/trace-filters.js';
import { asChatMessages, newMessages } from '../../ui/src/chat-messages.js';
import { buildObservationTree, visibleNodes, TRACE_NODE } from '../../ui/src/observation-tree.js';
import { formatCost, formatDuration, formatSummedCost } from '../../ui/src/format.js';
import type { ObservationView } from '../../collector/routes/views.js';

describe('traces list filters in the URL', () => {
  it('reads and writes the API parameter names, repeated ones repeated', () => {
    const search = new URLSearchParams('userId=alice&tags=a&tags=b&score=helpfulness%3C0.5&metadata=plan%3Dpro&q=%E5%A4%A9%E6%B0%94&minCost=0.01&orderBy=latency.desc&limit=10&unknown=x');
    const filters = parseTraceFilters(search);
    expect(filters).toMatchObject({ userId: 'alice', tags: ['a', 'b'], score: ['helpfulness<0.5'], metadata: ['plan=pro'], q: '天气', minCost: '0.01', orderBy: 'latency.desc', limit: '10' });
    expect(traceFilterParams(filters).toString()).toBe(
      'q=%E5%A4%A9%E6%B0%94&userId=alice&minCost=0.01&tags=a&tags=b&score=helpfulness%3C0.5&metadata=plan%3Dpro&orderBy=latency.desc&limit=10',
    );
    expect(hasFilters(filters)).toBe(true);
    expect(hasFilters(parseTraceFilters(new URLSearchParams('orderBy=name&limit=5')))).toBe(false);
  });

  it('adds and removes one value at a time', () => {
    const filters = parseTraceFilters(new URLSearchParams('tags=a&tags=b&userId=alice'));
    expect(traceFilterParams(withFilter(filters, 'tags', 'c')).getAll('tags')).toEqual(['a', 'b', 'c']);
    expect(traceFilterParams(withFilter(filters, 'tags', 'a')).getAll('tags')).toEqual(['b', 'a']);
    expect(traceFilterParams(withoutFilter(filters, { name: 'tags', value: 'a' })).toString()).toBe('userId=alice&tags=b');
    expect(traceFilterParams(withoutFilter(filters, { name: 'userId', value: 'alice' })).toString()).toBe('tags=a&tags=b');
    expect(filterChips(filters)).toEqual([
      { name: 'userId', value: 'alice' },
      { name: 'tags', value: 'a' },
      { name: 'tags', value: 'b' },
    ]);
  });

  it('splits typed conditions at commas that start another condition only', () => {
    expect(splitConditions('helpfulness<0.5, toxicity=0')).toEqual(['helpfulness<0.5', 'toxicity=0']);
    expect(splitConditions('note=a,b, plan=pro')).toEqual(['note=a,b', 'plan=pro']);
    expect(splitConditions('  ')).toEqual([]);
  });
});

describe('chat messages', () => {
  it('reads OpenAI messages with tool calls and tool results', () => {
    const messages = asChatMessages([
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: '{"c":14}' },
    ]);
    expect(messages?.map((m) => [m.role, m.text])).toEqual([
      ['user', 'Weather in Paris?'],
      ['assistant', null],
      ['tool', '{"c":14}'],
    ]);
    expect(messages?.[1]?.toolCalls).toEqual([{ id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } }]);
    expect(messages?.[2]?.toolCallId).toBe('call_1');
  });

  it('reads OTel GenAI parts, Anthropic blocks, Vercel AI SDK parts, choices and JSON text', () => {
    expect(asChatMessages([{ role: 'user', parts: [{ type: 'text', content: 'hi' }, { type: 'tool_call', id: 't1', name: 'f', arguments: { a: 1 } }] }])?.[0]).toMatchObject({
      text: 'hi',
      toolCalls: [{ id: 't1', name: 'f', arguments: { a: 1 } }],
    });
    expect(asChatMessages([{ role: 'assistant', content: [{ type: 'tool_use', id: 'tu', name: 'search', input: { q: 'x' } }] }])?.[0]?.toolCalls).toEqual([
      { id: 'tu', name: 'search', arguments: { q: 'x' } },
    ]);
    expect(asChatMessages([{ role: 'tool', content: [{ type: 'tool-result', toolCallId: 'v1', toolName: 'f', result: 'ok' }] }])?.[0]).toMatchObject({ toolCallId: 'v1', text: 'ok' });
    expect(asChatMessages({ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'done' } })?.[0]).toMatchObject({ role: 'assistant', text: 'done' });
    expect(asChatMessages('{"messages":[{"role":"system","content":"be brief"}]}')?.[0]).toMatchObject({ role: 'system', text: 'be brief' });
  });

  it('says no for what is not a conversation', () => {
    for (const value of ['plain text', { query: 'x' }, [{ id: 'doc-1', text: 'a' }], [], null, 42, [{ role: 'user' }, 'x']]) {
      expect(asChatMessages(value)).toBeNull();
    }
  });

  it("keeps a turn's new messages: those after the last assistant message", () => {
    const messages = asChatMessages([
      { role: 'system', content: 's' },
      { role: 'user', content: 'q1' },
      { role: 'assistant', content: 'a1' },
      { role: 'user', content: 'q2' },
    ]);
    expect(newMessages(messages ?? []).map((m) => m.text)).toEqual(['q2']);
  });
});

describe('observation tree', () => {
  const observation = (id: string, parentObservationId: string | null, startMs: number): ObservationView =>
    ({ id, parentObservationId, name: id, startTime: new Date(startMs).toISOString() }) as ObservationView;

  it('nests children under parents in start order, orphans and cycles at the top', () => {
    const root = buildObservationTree([
      observation('late-child', 'root', 30),
      observation('root', null, 0),
      observation('early-child', 'root', 10),
      observation('grandchild', 'early-child', 20),
      observation('orphan', 'never-sent', 5),
      observation('cycle-a', 'cycle-b', 40),
      observation('cycle-b', 'cycle-a', 50),
    ]);
    const rows = visibleNodes(root, new Set()).map((node) => `${node.depth}:${node.id}`);
    expect(rows).toEqual(['0:trace', '1:root', '2:early-child', '3:grandchild', '2:late-child', '1:orphan', '1:cycle-a', '2:cycle-b']);
    expect(visibleNodes(root, new Set(['root'])).map((node) => node.id)).toEqual([TRACE_NODE, 'root', 'orphan', 'cycle-a', 'cycle-b']);
  });
});

describe('durations and costs as the UI writes them', () => {
  it.each([
    [0.42, '0.42 ms'],
    [8.1, '8.1 ms'],
    [420, '420 ms'],
    [999.6, '1.00 s'],
    [4_200, '4.20 s'],
    [42_000, '42.0 s'],
    [59_960, '1m 00s'],
    [245_000, '4m 05s'],
    [3_599_600, '1h 00m'],
    [3 * 3_600_000, '3h 00m'],
    [23 * 3_600_000 + 59 * 60_000 + 40_000, '1d 0h'],
    [2 * 86_400_000 + 4 * 3_600_000, '2d 4h'],
    [400 * 86_400_000, '400d 0h'],
  ])('writes %f ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('writes an unknown cost as —: a single one that is null, a summed one that is zero', () => {
    expect([formatCost(null), formatCost(0), formatCost(0.000042), formatCost(12.5)]).toEqual(['—', '$0', '$0.000042', '$12.50']);
    expect([formatSummedCost(0), formatSummedCost(0.000042)]).toEqual(['—', '$0.000042']);
  });
});
