import { it, expect } from 'vitest';
function logged<T extends (this: unknown, ...a: any[]) => any>(value: T, context: ClassMethodDecoratorContext): T {
  return function (this: unknown, ...args: any[]) { return value.apply(this, args) * 2; } as T;
}
class A { @logged m(x: number) { return x + 1; } }
it('works', () => { expect(new A().m(1)).toBe(4); });
