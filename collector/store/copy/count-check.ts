/**
 * The check at the end of a copy: per project, the rows each store holds, counted exactly, and
 * the API keys. A count that differs is named; a collector writing to the source during the copy
 * is the usual reason, and running the copy again copies what is new.
 */
import type { KeyStore } from '../../auth/key-store.js';
import type { CopyableStore, StoredCounts } from '../contract.js';

export interface CountedStore {
  store: Pick<CopyableStore, 'countStored'>;
  keys: Pick<KeyStore, 'list'>;
}

export type CountedKind = keyof StoredCounts | 'keys';

export interface CountDifference {
  projectId: string;
  kind: CountedKind;
  source: number;
  target: number;
}

/** How a count is named in messages. */
export const COUNT_NAMES: Record<CountedKind, string> = {
  traces: 'traces',
  observations: 'observations',
  scores: 'scores',
  messages: 'GenAI log messages',
  customModels: 'custom model prices',
  keys: 'API keys',
};

export async function countDifferences(source: CountedStore, target: CountedStore, projects: readonly string[]): Promise<CountDifference[]> {
  const [sourceKeys, targetKeys] = await Promise.all([keysByProject(source.keys), keysByProject(target.keys)]);
  const differences: CountDifference[] = [];
  for (const projectId of projects) {
    const counts = async (end: CountedStore, keys: Map<string, number>) => ({
      ...(await end.store.countStored(projectId)),
      keys: keys.get(projectId) ?? 0,
    });
    const inSource = await counts(source, sourceKeys);
    const inTarget = await counts(target, targetKeys);
    for (const kind of Object.keys(COUNT_NAMES) as CountedKind[]) {
      if (inSource[kind] !== inTarget[kind]) differences.push({ projectId, kind, source: inSource[kind], target: inTarget[kind] });
    }
  }
  return differences;
}

async function keysByProject(keys: Pick<KeyStore, 'list'>): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const { projectId } of await keys.list()) counts.set(projectId, (counts.get(projectId) ?? 0) + 1);
  return counts;
}
