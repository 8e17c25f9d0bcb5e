/**
 * A WHERE clause built from parts for node-postgres, every value a numbered parameter: filter
 * values are data, never SQL text. `$1` is always the project id. With the page it selects
 * (paged, pageMeta).
 */
import type { Page } from '../../contract.js';

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

  /** `= ANY($n::text[])`: membership in a list of text values, one parameter however long the list. */
  anyText(values: readonly string[]): string {
    return `= ANY(${this.bind(values)}::text[])`;
  }

  add(clause: string): this {
    this.clauses.push(clause);
    return this;
  }

  get sql(): string {
    return this.clauses.length === 0 ? 'true' : this.clauses.join('\n  AND ');
  }

  /** The parameters with a page's LIMIT and OFFSET after them, and their placeholders. */
  paged(query: { page: number; limit: number }): { sql: string; params: unknown[] } {
    const at = this.params.length;
    return {
      sql: `LIMIT $${at + 1} OFFSET $${at + 2}`,
      params: [...this.params, query.limit, (query.page - 1) * query.limit],
    };
  }
}

export function pageMeta(query: { page: number; limit: number }, totalItems: number): Page<never>['meta'] {
  return { page: query.page, limit: query.limit, totalItems, totalPages: Math.ceil(totalItems / query.limit) };
}
