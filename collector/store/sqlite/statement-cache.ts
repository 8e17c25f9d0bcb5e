import type { Database, Statement } from 'better-sqlite3';

/**
 * Prepared statements by SQL text. Filtered queries differ only in which conditions are present,
 * so a few hundred shapes cover real use; past the bound the oldest is dropped.
 */
export class StatementCache {
  private readonly cache = new Map<string, Statement>();

  constructor(
    private readonly db: Database,
    private readonly maxEntries = 500,
  ) {}

  get(sql: string): Statement {
    let statement = this.cache.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql).safeIntegers(true);
      if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(sql, statement);
    }
    return statement;
  }
}
