/**
 * /traces/<traceId>: the trace's header (name, user, session, tags, release, version,
 * environment, totals, scores), its observation tree with the timeline, and the selected row's
 * detail. `?observation=<id>` selects a row, so a link can point at one generation.
 */
import { useMemo } from 'preact/hooks';
import type { TraceDetail } from '../api/types.js';
import { useApi } from '../api/use-api.js';
import { ApiError } from '../api/client.js';
import { buildObservationTree, findNode, TRACE_NODE } from '../observation-tree.js';
import { formatCost, formatCount, formatDuration, formatTime } from '../format.js';
import { href, navigate, useLocation } from '../router.js';
import { ErrorBox, Loading } from '../components/error-box.js';
import { Fact } from '../components/fact.js';
import { EmptyState } from '../components/empty-state.js';
import { Link } from '../components/link.js';
import { ScoreChips } from '../components/score-chips.js';
import { ObservationTreeView } from '../components/observation-tree-view.js';
import { ObservationDetail } from '../components/observation-detail.js';

export function TracePage({ traceId }: { traceId: string }) {
  const { search } = useLocation();
  const { data: trace, error, reload } = useApi<TraceDetail>(`/api/public/traces/${encodeURIComponent(traceId)}`);
  const root = useMemo(() => (trace === undefined ? null : buildObservationTree(trace.observations)), [trace]);

  if (error instanceof ApiError && error.status === 404) {
    return (
      <EmptyState title="Trace not found">
        <p>
          No trace <code>{traceId}</code> in this collector. A trace shows up once its first span is exported; spans still in
          the exporter's batch arrive within seconds.
        </p>
        <p>
          <button type="button" class="button" onClick={reload}>
            Look again
          </button>{' '}
          <Link href="/">All traces</Link>
        </p>
      </EmptyState>
    );
  }
  if (error !== undefined) return <ErrorBox error={error} title="Could not load the trace" retry={reload} />;
  if (trace === undefined || root === null) return <Loading label="Loading trace…" />;

  const requested = search.get('observation') ?? TRACE_NODE;
  const selected = findNode(root, requested) ?? root;
  const select = (id: string) => {
    const params = new URLSearchParams(location.search);
    if (id === TRACE_NODE) params.delete('observation');
    else params.set('observation', id);
    navigate(href(location.pathname, params), { replace: true });
  };

  return (
    <div class="trace-page">
      <TraceHeader trace={trace} />
      {requested !== TRACE_NODE && selected === root && (
        <p class="notice" role="note">
          This trace has no observation <code>{requested}</code>; showing the trace.
        </p>
      )}
      <div class="trace-body">
        <ObservationTreeView trace={trace} root={root} selectedId={selected.id} onSelect={select} />
        <ObservationDetail key={selected.id} trace={trace} node={selected} />
      </div>
    </div>
  );
}

function TraceHeader({ trace }: { trace: TraceDetail }) {
  const errors = trace.observations.filter((observation) => observation.level === 'ERROR').length;
  return (
    <header class="trace-header">
      <div class="title-row">
        <h1>{trace.name ?? <span class="muted">unnamed trace</span>}</h1>
        {errors > 0 && <span class="level-badge level-error">{errors === 1 ? '1 error' : `${errors} errors`}</span>}
        <code class="muted trace-id">{trace.id}</code>
      </div>
      <dl class="facts">
        <Fact label="Time">{formatTime(trace.timestamp)}</Fact>
        {trace.userId !== null && (
          <Fact label="User">
            <Link href={href('/', new URLSearchParams({ userId: trace.userId }))}>{trace.userId}</Link>
          </Fact>
        )}
        {trace.sessionId !== null && (
          <Fact label="Session">
            <Link href={`/sessions/${encodeURIComponent(trace.sessionId)}`}>{trace.sessionId}</Link>
          </Fact>
        )}
        {trace.release !== null && <Fact label="Release">{trace.release}</Fact>}
        {trace.version !== null && <Fact label="Version">{trace.version}</Fact>}
        <Fact label="Environment">{trace.environment}</Fact>
        <Fact label="Latency">{formatDuration(trace.latencyMs)}</Fact>
        <Fact label="Tokens" title="input → output">
          {formatCount(trace.inputTokens)} → {formatCount(trace.outputTokens)} ({formatCount(trace.totalTokens)})
        </Fact>
        <Fact label="Cost">{formatCost(trace.totalCost)}</Fact>
      </dl>
      <div class="chips-row">
        {trace.tags.map((tag) => (
          <Link key={tag} class="tag" href={href('/', new URLSearchParams({ tags: tag }))}>
            {tag}
          </Link>
        ))}
        <ScoreChips scores={trace.scores} />
      </div>
    </header>
  );
}
