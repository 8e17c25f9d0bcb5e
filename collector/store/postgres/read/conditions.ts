/**
 * A WHERE clause built from parts for node-postgres, every value a numbered parameter: filter
 * values are data, never SQL text. `$1` is always the project id.
 */
export class SqlConditions {
  readonly params: unknown[];
  private readonly clauses: string[] = [];

  constructor(projectId: string) {
    this.params = [projectId];
  }

  /** Binds `value` and returns its placeholder (`$n`). */
  bind(value: unknown): string {
    this.params.push(typeof value === 'bigint' ? value.toString() : value);
    return `$${this.params.length}`;
  }

  add(clause: string): this {
    this.clauses.push(clause);
    return this;
  }

  get sql(): string {
    return this.clauses.length === 0 ? 'true' : this.clauses.join('\n  AND ');
  }
}
