/**
 * The store's records -> the REST API's views (routes/views.ts): Langfuse's field names,
 * ISO-8601 times, latency in seconds, and null for the Langfuse fields spanlite has no source
 * for. Every route answers through these, so no storage engine deals in the wire format.
 */
import type {
  DailyMetricsRecord,
  ObservationRecord,
  Page,
  ScoreListRecord,
  ScoreRecord,
  SessionDetailRecord,
  SessionRecord,
  TraceAggregates,
  TraceDetailRecord,
  TraceListRecord,
  TraceRecord,
  UserRecord,
} from '../store/contract.js';
import type {
  DailyMetricsView,
  ObservationView,
  Page as PageView,
  ScoreListItem,
  ScoreView,
  SessionDetail,
  SessionView,
  TraceDetail,
  TraceListItem,
  TraceView,
  UserView,
} from './views.js';

/** Millisecond precision, as JavaScript dates: the nanoseconds below are dropped. */
function isoFromUnixNano(unixNano: bigint): string {
  return new Date(Number(unixNano / 1_000_000n)).toISOString();
}

function isoFromMs(ms: number): string {
  return new Date(ms).toISOString();
}

export function toPageView<R, V>(page: Page<R>, toView: (record: R) => V): PageView<V> {
  return { data: page.data.map((record) => toView(record)), meta: page.meta };
}

export function toTraceView(trace: TraceRecord): TraceView {
  const latencyMs = Number(trace.endTimeUnixNano - trace.startTimeUnixNano) / 1e6;
  return {
    id: trace.id,
    timestamp: isoFromUnixNano(trace.startTimeUnixNano),
    name: trace.name,
    userId: trace.userId,
    sessionId: trace.sessionId,
    release: trace.release,
    version: trace.version,
    environment: trace.environment,
    tags: trace.tags,
    metadata: trace.metadata,
    input: trace.input,
    output: trace.output,
    public: trace.public,
    latency: latencyMs / 1000,
    totalCost: trace.totalCostUsd,
    htmlPath: `/traces/${trace.id}`,
    endTimestamp: isoFromUnixNano(trace.endTimeUnixNano),
    latencyMs,
    inputTokens: trace.inputTokens,
    outputTokens: trace.outputTokens,
    totalTokens: trace.totalTokens,
    createdAt: isoFromMs(trace.createdAtMs),
    updatedAt: isoFromMs(trace.updatedAtMs),
  };
}

export function toTraceListItem(trace: TraceListRecord): TraceListItem {
  return {
    ...toTraceView(trace),
    observations: trace.observationIds,
    scores: trace.scores.map((score) => score.id),
    level: trace.level,
    scoreValues: trace.scores,
  };
}

export function toTraceDetail(trace: TraceDetailRecord): TraceDetail {
  return {
    ...toTraceView(trace),
    observations: trace.observations.map(toObservationView),
    scores: trace.scores.map(toScoreView),
  };
}

export function toObservationView(observation: ObservationRecord): ObservationView {
  const { usage, startTimeUnixNano: start, endTimeUnixNano: end, completionStartTimeUnixNano: firstToken } = observation;
  const costDetails = (observation.costUsd ?? {}) as Record<string, number>;
  return {
    id: observation.id,
    traceId: observation.traceId,
    parentObservationId: observation.parentObservationId,
    type: observation.type,
    name: observation.name,
    startTime: isoFromUnixNano(start),
    endTime: end === null ? null : isoFromUnixNano(end),
    completionStartTime: firstToken === null ? null : isoFromUnixNano(firstToken),
    level: observation.level,
    statusMessage: observation.statusMessage,
    version: observation.version,
    model: observation.model,
    modelParameters: observation.modelParameters,
    input: observation.input,
    output: observation.output,
    metadata: observation.metadata,
    usageDetails: { ...usage } as Record<string, number>,
    // Langfuse's legacy totals count every input bucket as input and reasoning as output.
    usage: {
      input: (usage.input ?? 0) + (usage.cachedInput ?? 0) + (usage.cacheWrite ?? 0),
      output: (usage.output ?? 0) + (usage.reasoning ?? 0),
      total: usage.total ?? 0,
      unit: 'TOKENS',
    },
    costDetails,
    calculatedInputCost: costDetails.input ?? null,
    calculatedOutputCost: costDetails.output ?? null,
    calculatedTotalCost: observation.totalCostUsd,
    totalCost: observation.totalCostUsd,
    costMissingReason: observation.costMissingReason,
    countsInTraceTotals: observation.countsInTraceTotals,
    latency: end === null ? null : Number(end - start) / 1e9,
    timeToFirstToken: firstToken === null ? null : Number(firstToken - start) / 1e9,
    environment: observation.environment,
    promptId: null,
    promptName: null,
    promptVersion: null,
    modelId: null,
    inputPrice: null,
    outputPrice: null,
    totalPrice: null,
    attributes: observation.attributes,
    resourceAttributes: observation.resourceAttributes,
    scope: observation.scope,
  };
}

export function toScoreView(score: ScoreRecord): ScoreView {
  return {
    id: score.id,
    traceId: score.traceId,
    observationId: score.observationId,
    name: score.name,
    value: score.value,
    stringValue: score.stringValue,
    dataType: score.dataType,
    comment: score.comment,
    source: score.source,
    timestamp: isoFromUnixNano(score.timeUnixNano),
    createdAt: isoFromMs(score.createdAtMs),
    updatedAt: isoFromMs(score.updatedAtMs),
    metadata: score.metadata,
    environment: score.environment,
    authorUserId: null,
    configId: null,
    queueId: null,
  };
}

export function toScoreListItem(score: ScoreListRecord): ScoreListItem {
  return { ...toScoreView(score), trace: score.trace };
}

function toAggregateView(aggregates: TraceAggregates) {
  return {
    countTraces: aggregates.traceCount,
    firstTraceAt: isoFromUnixNano(aggregates.firstTraceStartUnixNano),
    lastTraceAt: isoFromUnixNano(aggregates.lastTraceStartUnixNano),
    inputTokens: aggregates.inputTokens,
    outputTokens: aggregates.outputTokens,
    totalTokens: aggregates.totalTokens,
    totalCost: aggregates.totalCostUsd,
  };
}

/** Langfuse's session carries its project and dates it by its first trace. */
export function toSessionView(projectId: string, session: SessionRecord): SessionView {
  return {
    id: session.id,
    createdAt: isoFromUnixNano(session.firstTraceStartUnixNano),
    projectId,
    environment: session.environment,
    ...toAggregateView(session),
  };
}

export function toSessionDetail(projectId: string, session: SessionDetailRecord): SessionDetail {
  return { ...toSessionView(projectId, session), traces: session.traces.map(toTraceView) };
}

export function toUserView(user: UserRecord): UserView {
  return { userId: user.userId, ...toAggregateView(user) };
}

export function toDailyMetricsView(day: DailyMetricsRecord): DailyMetricsView {
  return {
    date: isoFromUnixNano(day.dayStartUnixNano).slice(0, 10),
    countTraces: day.traceCount,
    countObservations: day.observationCount,
    countErrorTraces: day.errorTraceCount,
    countErrorObservations: day.errorObservationCount,
    totalCost: day.totalCostUsd,
    usage: day.usageByModel.map((model) => ({
      model: model.model,
      inputUsage: model.inputTokens,
      outputUsage: model.outputTokens,
      totalUsage: model.totalTokens,
      countTraces: model.traceCount,
      countObservations: model.observationCount,
      totalCost: model.totalCostUsd,
    })),
  };
}
