/**
 * What one selected row holds. An observation: times, model and parameters, status message,
 * input and output, usage and cost per bucket, metadata, its events, its scores, and the span's
 * raw attributes. The trace (the tree's root): its input, output, metadata and scores.
 */
import type { ObservationView, ScoreView, TraceDetail } from '../api/types.js';
import type { TreeNode } from '../observation-tree.js';
import { NONE, formatCost, formatCount, formatDuration, formatScoreValue, formatTime } from '../format.js';
import { ContentSection } from './content-view.js';
import { Fact } from './fact.js';
import { JsonView } from './json-view.js';
import { TypeIcon } from './type-icon.js';

const COST_MISSING: Record<string, string> = {
  no_model: 'no model name on the span',
  no_usage: 'no token counts on the span',
  no_price_match: 'no price for this model (add one on the Models page or in SPANLITE_PRICING_FILE)',
};

const USAGE_BUCKETS: Array<[string, string]> = [
  ['input', 'Input'],
  ['cachedInput', 'Cached input'],
  ['cacheWrite', 'Cache write'],
  ['output', 'Output'],
  ['reasoning', 'Reasoning'],
];

export function ObservationDetail({ trace, node }: { trace: TraceDetail; node: TreeNode }) {
  const observation = node.observation;
  if (observation === null) return <TraceRootDetail trace={trace} />;
  const scores = trace.scores.filter((score) => score.observationId === observation.id);
  const events = node.children.flatMap((child) => (child.observation?.type === 'EVENT' ? [child.observation] : []));
  return (
    <article class="detail" aria-label={`Observation ${observation.name}`}>
      <header class="detail-head">
        <TypeIcon type={observation.type} />
        <h2>{observation.name}</h2>
        <span class="badge">{observation.type}</span>
        {observation.level !== 'DEFAULT' && <span class={`level-badge level-${observation.level.toLowerCase()}`}>{observation.level}</span>}
      </header>
      <dl class="facts">
        <Fact label="Start">{formatTime(observation.startTime)}</Fact>
        <Fact label="Duration">{formatDuration(observation.latency === null ? null : observation.latency * 1000)}</Fact>
        {observation.timeToFirstToken !== null && <Fact label="First token">{formatDuration(observation.timeToFirstToken * 1000)}</Fact>}
        {observation.model !== null && <Fact label="Model">{observation.model}</Fact>}
        {observation.version !== null && <Fact label="Version">{observation.version}</Fact>}
        <Fact label="Id">
          <code>{observation.id}</code>
        </Fact>
      </dl>
      {observation.statusMessage !== null && (
        <p class={`status-message level-${observation.level.toLowerCase()}`} role="note">
          <strong>Status:</strong> {observation.statusMessage}
        </p>
      )}
      {scores.length > 0 && <ScoresTable scores={scores} />}
      <ContentSection title="Input" value={observation.input} />
      <ContentSection title="Output" value={observation.output} />
      <UsageAndCost observation={observation} />
      {observation.modelParameters !== null && Object.keys(observation.modelParameters).length > 0 && (
        <section>
          <h3>Model parameters</h3>
          <KeyValues values={observation.modelParameters} />
        </section>
      )}
      {Object.keys(observation.metadata).length > 0 && (
        <section>
          <h3>Metadata</h3>
          <JsonView value={observation.metadata} />
        </section>
      )}
      {events.length > 0 && <Events events={events} start={observation.startTime} />}
      <details class="raw-attributes">
        <summary>Span attributes, resource and scope</summary>
        <JsonView value={{ attributes: observation.attributes, resource: observation.resourceAttributes, scope: observation.scope }} openDepth={2} />
      </details>
    </article>
  );
}

function TraceRootDetail({ trace }: { trace: TraceDetail }) {
  return (
    <article class="detail" aria-label={`Trace ${trace.name ?? trace.id}`}>
      <header class="detail-head">
        <TypeIcon type="TRACE" />
        <h2>{trace.name ?? trace.id}</h2>
        <span class="badge">TRACE</span>
      </header>
      {trace.scores.length > 0 && <ScoresTable scores={trace.scores} trace={trace} />}
      <ContentSection title="Input" value={trace.input} />
      <ContentSection title="Output" value={trace.output} />
      {Object.keys(trace.metadata).length > 0 && (
        <section>
          <h3>Metadata</h3>
          <JsonView value={trace.metadata} />
        </section>
      )}
    </article>
  );
}

function UsageAndCost({ observation }: { observation: ObservationView }) {
  const usage = observation.usageDetails;
  const cost = observation.costDetails;
  const buckets = USAGE_BUCKETS.filter(([key]) => usage[key] !== undefined || cost[key] !== undefined);
  if (buckets.length === 0 && observation.totalCost === null && observation.costMissingReason === null) return null;
  return (
    <section>
      <h3>Usage and cost</h3>
      <table class="usage-table">
        <thead>
          <tr>
            <th scope="col">Tokens</th>
            <th scope="col" class="num">Count</th>
            <th scope="col" class="num">Cost</th>
          </tr>
        </thead>
        <tbody>
          {buckets.map(([key, label]) => (
            <tr key={key}>
              <th scope="row">{label}</th>
              <td class="num">{formatCount(usage[key])}</td>
              <td class="num">{formatCost(cost[key])}</td>
            </tr>
          ))}
          <tr class="total">
            <th scope="row">Total</th>
            <td class="num">{formatCount(usage.total ?? observation.usage.total)}</td>
            <td class="num">{formatCost(observation.totalCost)}</td>
          </tr>
        </tbody>
      </table>
      {observation.costMissingReason !== null && (
        <p class="muted">No cost: {COST_MISSING[observation.costMissingReason] ?? observation.costMissingReason}.</p>
      )}
      {!observation.countsInTraceTotals && <p class="muted">Repeats its children's usage: not added to the trace's totals.</p>}
    </section>
  );
}

function Events({ events, start }: { events: ObservationView[]; start: string }) {
  return (
    <section>
      <h3>Events</h3>
      <ul class="events">
        {events.map((event) => (
          <li key={event.id} class={`level-${event.level.toLowerCase()}`}>
            <div>
              <strong>{event.name}</strong>
              <span class="muted"> +{formatDuration(Date.parse(event.startTime) - Date.parse(start))}</span>
              {event.level !== 'DEFAULT' && <span class={`level-badge level-${event.level.toLowerCase()}`}>{event.level}</span>}
            </div>
            {event.input !== null && <JsonView value={event.input} openDepth={1} />}
            {event.statusMessage !== null && <p class="muted">{event.statusMessage}</p>}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function ScoresTable({ scores, trace }: { scores: readonly ScoreView[]; trace?: TraceDetail }) {
  const targetName = (score: ScoreView) =>
    score.observationId === null ? 'trace' : (trace?.observations.find((o) => o.id === score.observationId)?.name ?? score.observationId);
  return (
    <section>
      <h3>Scores</h3>
      <table class="scores-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Value</th>
            {trace !== undefined && <th scope="col">On</th>}
            <th scope="col">Source</th>
            <th scope="col">Comment</th>
          </tr>
        </thead>
        <tbody>
          {scores.map((score) => (
            <tr key={score.id}>
              <td>{score.name}</td>
              <td class="num">{formatScoreValue(score)}</td>
              {trace !== undefined && <td>{targetName(score)}</td>}
              <td>{score.source}</td>
              <td>{score.comment ?? NONE}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function KeyValues({ values }: { values: Record<string, unknown> }) {
  return (
    <dl class="key-values">
      {Object.entries(values).map(([key, value]) => (
        <Fact key={key} label={key}>
          {typeof value === 'object' && value !== null ? <JsonView value={value} openDepth={1} /> : String(value)}
        </Fact>
      ))}
    </dl>
  );
}
