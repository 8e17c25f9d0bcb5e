import { describe, expect, it } from 'vitest';
import { serialize, TRUNCATION_MARKER } from '../../instrumentation/serialize.js';

describe('serialize', () => {
  it('writes plain values as JSON.stringify does', () => {
    const value = { a: 1, b: 'two', c: [true, null, 3.5], d: { e: 'nested' }, f: undefined };
    expect(serialize(value)).toBe(JSON.stringify(value));
  });

  it('marks cycles and keeps repeated (non-cyclic) references', () => {
    const shared = { x: 1 };
    const value: Record<string, unknown> = { left: shared, right: shared };
    value.self = value;
    expect(JSON.parse(serialize(value))).toEqual({ left: { x: 1 }, right: { x: 1 }, self: '[Circular]' });
  });

  it('writes BigInt as its decimal string', () => {
    expect(JSON.parse(serialize({ big: 12345678901234567890n }))).toEqual({ big: '12345678901234567890' });
  });

  it('writes an Error with name, message, stack, own fields and cause', () => {
    const error = Object.assign(new TypeError('bad input', { cause: new Error('root') }), { code: 'E_BAD' });
    const parsed = JSON.parse(serialize(error));
    expect(parsed).toMatchObject({ name: 'TypeError', message: 'bad input', code: 'E_BAD', cause: { message: 'root' } });
    expect(parsed.stack).toContain('bad input');
  });

  it('summarises binary data instead of dumping its bytes', () => {
    const parsed = JSON.parse(serialize({ buf: Buffer.alloc(2048), arr: new Uint8Array(3), ab: new ArrayBuffer(7) }));
    expect(parsed).toEqual({ buf: '[Buffer 2048 bytes]', arr: '[Uint8Array 3 bytes]', ab: '[ArrayBuffer 7 bytes]' });
  });

  it('writes Maps as objects (or entry pairs for object keys) and Sets as arrays', () => {
    expect(JSON.parse(serialize(new Map<string, number>([['a', 1]])))).toEqual({ a: 1 });
    expect(JSON.parse(serialize(new Map([[{ k: 1 }, 'v']])))).toEqual([[{ k: 1 }, 'v']]);
    expect(JSON.parse(serialize(new Set([1, 2, 2])))).toEqual([1, 2]);
  });

  it('writes dates through toJSON and functions as a marker', () => {
    const parsed = JSON.parse(serialize({ at: new Date('2024-01-02T03:04:05Z'), fn: [function named() {}] }));
    expect(parsed).toEqual({ at: '2024-01-02T03:04:05.000Z', fn: ['[Function named]'] });
  });

  it('cuts text past the cap, marks it and still returns valid JSON', () => {
    const out = serialize({ text: 'x'.repeat(10_000) }, 100);
    const parsed = JSON.parse(out) as string;
    expect(typeof parsed).toBe('string');
    expect(parsed.endsWith(TRUNCATION_MARKER)).toBe(true);
    expect(parsed.startsWith('{"text":"xxx')).toBe(true);
    expect(out.length).toBeLessThanOrEqual(100 + TRUNCATION_MARKER.length + 2);
  });

  it('stops walking a huge value at the cap instead of serialising all of it', () => {
    let reads = 0;
    const item = Object.defineProperty({}, 'text', {
      enumerable: true,
      get() {
        reads++;
        return 'some words';
      },
    });
    const huge = Array.from({ length: 100_000 }, () => item);
    const out = serialize(huge, 1_000);
    expect(reads).toBeLessThan(100);
    expect(out.length).toBeLessThanOrEqual(1_000 + TRUNCATION_MARKER.length + 2);
    expect((JSON.parse(out) as string).startsWith('[{"text":"some words"}')).toBe(true);
  });

  it('survives getters that throw and very deep nesting', () => {
    const hostile = Object.defineProperty({}, 'boom', {
      enumerable: true,
      get() {
        throw new Error('no');
      },
    });
    expect(JSON.parse(serialize(hostile))).toEqual({ boom: '[Thrown: no]' });
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 10_000; i++) deep = (deep.next = {}) as Record<string, unknown>;
    expect(serialize(root)).toContain('[Max depth]');
  });
});
