/**
 * Multi-row statements: one INSERT ... VALUES per up to MAX_PARAMETERS parameters rather than
 * a round trip per row.
 */
import type { PoolClient, QueryResultRow } from 'pg';

/** The protocol's limit on parameters in one statement. */
const MAX_PARAMETERS = 65_535;

/**
 * Runs `${head} VALUES (...), (...) ${tail}` over the rows, as many statements as the parameter
 * limit needs, and returns the rows they all return. Every row has the same number of values.
 */
export async function insertRows<Row extends QueryResultRow = QueryResultRow>(
  client: PoolClient,
  head: string,
  rows: readonly (readonly unknown[])[],
  tail = '',
): Promise<Row[]> {
  if (rows.length === 0) return [];
  const width = rows[0]!.length;
  const perStatement = Math.floor(MAX_PARAMETERS / width);
  const returned: Row[] = [];
  for (let from = 0; from < rows.length; from += perStatement) {
    const chunk = rows.slice(from, from + perStatement);
    const tuples = chunk.map((_, row) => `(${Array.from({ length: width }, (_, column) => `$${row * width + column + 1}`).join(', ')})`);
    const result = await client.query<Row>(`${head} VALUES ${tuples.join(', ')} ${tail}`, chunk.flat());
    returned.push(...result.rows);
  }
  return returned;
}
