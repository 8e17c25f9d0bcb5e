/**
 * Everything a client can read of one project through the QueryStore, in one value: every list,
 * every item by id, every filter that a stored tag, model, level or score name gives, and the
 * searches asked for. Two stores holding the same data read the same; fields set from the write
 * clock (a trace's or score's createdAtMs and updatedAtMs) are left out.
 */
import type { QueryStore, ScoreRecord, TraceListQuery, TraceRecord } from '../../collector/store/contract.js';

const ALL = { page: 1, limit: 1000 } as const;
const NEWEST_FIRST: TraceListQuery['orderBy'] = { field: 'timestamp', direction: 'desc' };

export async function everythingReadable(store: QueryStore, projectId: string, searchTerms: readonly string[] = []) {
  const listIds = async (filter: Partial<TraceListQuery>) => {
    const page = await store.listTraces(projectId, { ...ALL, orderBy: NEWEST_FIRST, ...filter });
    return { ids: page.data.map((trace) => trace.id), totalItems: page.meta.totalItems };
  };
  const traces = await store.listTraces(projectId, { ...ALL, orderBy: NEWEST_FIRST });
  const details = [];
  for (const { id } of traces.data) details.push(await store.getTrace(projectId, id));
  const observations = details.flatMap((trace) => trace?.observations ?? []);
  const scores = await store.listScores(projectId, ALL);
  const sessions = await store.listSessions(projectId, ALL);
  const users = await store.listUsers(projectId, { ...ALL, orderBy: { field: 'lastTraceAt', direction: 'desc' } });
  const environments = [...new Set(traces.data.map((trace) => trace.environment))].sort();
  const tags = [...new Set(traces.data.flatMap((trace) => trace.tags))].sort();
  const models = [...new Set(observations.flatMap((observation) => observation.model ?? []))].sort();
  const scoreNames = [...new Set(scores.data.filter((score) => score.value !== null).map((score) => score.name))].sort();

  const byId = [];
  for (const observation of observations) {
    byId.push([
      observation.id,
      await store.getObservation(projectId, observation.id),
      await store.findObservationTraceId(projectId, observation.id),
    ]);
  }
  const filtered: Record<string, unknown> = {};
  for (const tag of tags) filtered[`tag ${tag}`] = await listIds({ tags: [tag] });
  for (const model of models) filtered[`model ${model}`] = await listIds({ model });
  for (const level of ['ERROR', 'WARNING'] as const) filtered[`level ${level}`] = await listIds({ level });
  for (const name of scoreNames) filtered[`score ${name}`] = await listIds({ scores: [{ name, operator: '>=', value: -1e9 }] });
  for (const term of searchTerms) filtered[`search ${term}`] = await listIds({ searchTerms: [term] });

  return {
    traces: { ...traces, data: traces.data.map(withoutClock) },
    details: details.map((trace) => trace && { ...withoutClock(trace), scores: trace.scores.map(withoutClock) }),
    byId,
    observations: await store.listObservations(projectId, ALL),
    scores: { ...scores, data: scores.data.map(withoutClock) },
    scoresById: await Promise.all(scores.data.map(async (score) => withoutClockOrNull(await store.getScore(projectId, score.id)))),
    sessions,
    sessionDetails: await Promise.all(
      sessions.data.map(async (session) => {
        const detail = await store.getSession(projectId, session.id);
        return detail && { ...detail, traces: detail.traces.map(withoutClock) };
      }),
    ),
    users,
    usersById: await Promise.all(users.data.map((user) => store.getUser(projectId, user.userId))),
    daily: await store.dailyMetrics(projectId, ALL),
    dailyFiltered: environments.length === 0 ? null : await store.dailyMetrics(projectId, { ...ALL, environments }),
    filtered,
    customModels: await store.listCustomModels(projectId),
  };
}

function withoutClock<T extends TraceRecord | ScoreRecord>(record: T): Omit<T, 'createdAtMs' | 'updatedAtMs'> {
  const { createdAtMs: _createdAtMs, updatedAtMs: _updatedAtMs, ...rest } = record;
  return rest;
}

function withoutClockOrNull<T extends TraceRecord | ScoreRecord>(record: T | null): Omit<T, 'createdAtMs' | 'updatedAtMs'> | null {
  return record === null ? null : withoutClock(record);
}
