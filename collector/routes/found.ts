/** The by-id routes' 404: one message shape for every kind of record. */
import { SpanliteError } from '../errors.js';

/** The record asked for by id, or a `notFound` error naming it (`trace <id> not found`). */
export function found<T>(record: T | null | undefined, kind: string, id: string): T {
  if (record === null || record === undefined) throw new SpanliteError('notFound', `${kind} ${id} not found`);
  return record;
}
