/**
 * A WHERE clause built from parts, every value a bound parameter: filter values are data,
 * never SQL text. `@projectId` is always bound.
 */
export class SqlConditions {
  readonly params: Record<string, unknown>;
  private readonly clauses: string[] = [];
  private next = 0;

  constructor(projectId: string) {
    this.params = { projectId };
  }

  /** Binds `value` and returns its placeholder. */
  bind(value: unknown): string {
    const name = `v${this.next++}`;
    this.params[name] = value;
    return `@${name}`;
  }

  /** Binds each value; returns `(@a, @b, ...)` for an IN list. */
  bindList(values: readonly unknown[]): string {
    return `(${values.map((value) => this.bind(value)).join(', ')})`;
  }

  add(clause: string): this {
    this.clauses.push(clause);
    return this;
  }

  get sql(): string {
    return this.clauses.length === 0 ? '1' : this.clauses.join('\n  AND ');
  }
}
