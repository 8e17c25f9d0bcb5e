/**
 * /dashboard: traces, error rate, tokens and cost per UTC day, by model, from one
 * /api/public/metrics/daily request. The error rate is each day's traces with an ERROR
 * observation (countErrorTraces) over its traces. Filters are the metrics API's parameters, in
 * the URL.
 */
import type { DailyMetricsView, Page } from '../api/types.js';
import { useApi, useLastDefined } from '../api/use-api.js';
import { formatCost, formatCount, formatSummedCost } from '../format.js';
import { href, navigate, useLocation } from '../router.js';
import { paramsRecord } from '../trace-filters.js';
import { Chart, type ChartSeries } from '../components/chart.js';
import { DataTable } from '../components/data-table.js';
import { ErrorBox, Loading } from '../components/error-box.js';
import { FirstTraceHelp } from '../components/empty-state.js';
import { Link } from '../components/link.js';

const DAY_MS = 86_400_000;
const PERIODS = [7, 30, 90] as const;
const DEFAULT_DAYS = 30;
const MAX_MODEL_SERIES = 6;
/** The metrics API's filters this page offers (traceName, userId); fromTimestamp comes from the period. */
const FILTERS = ['traceName', 'userId', 'tags', 'environment'] as const;

export function DashboardPage() {
  const { search } = useLocation();
  const from = search.get('fromTimestamp') ?? new Date(utcDay(Date.now()) - (DEFAULT_DAYS - 1) * DAY_MS).toISOString();
  const filters = new URLSearchParams();
  for (const name of FILTERS) for (const value of search.getAll(name)) if (value !== '') filters.append(name, value);
  const state = useApi<Page<DailyMetricsView>>('/api/public/metrics/daily', { ...paramsRecord(filters), fromTimestamp: from, limit: 1000 });
  // A new period or filter keeps the charts of the last answer until its own arrives.
  const shown = useLastDefined(state.data === undefined ? undefined : { metrics: state.data.data, fromMs: Date.parse(from) });

  const setPeriod = (days: number) => {
    const params = new URLSearchParams(filters);
    params.set('fromTimestamp', new Date(utcDay(Date.now()) - (days - 1) * DAY_MS).toISOString());
    navigate(href('/dashboard', params));
  };
  const selectedDays = Math.round((utcDay(Date.now()) - utcDay(Date.parse(from))) / DAY_MS) + 1;

  return (
    <div class="dashboard-page">
      <div class="page-head">
        <h1>Dashboard</h1>
        <div class="spacer" />
        <div class="segmented" role="group" aria-label="Period">
          {PERIODS.map((days) => (
            <button key={days} type="button" class="button" aria-pressed={days === selectedDays} onClick={() => setPeriod(days)}>
              {days} days
            </button>
          ))}
        </div>
      </div>
      {filters.toString() !== '' && (
        <p class="muted">
          Filtered: {[...filters].map(([name, value]) => `${name}=${value}`).join(', ')} ·{' '}
          <Link href="/dashboard">clear</Link>
        </p>
      )}
      {state.error !== undefined ? (
        <ErrorBox error={state.error} title="Could not load the daily metrics" retry={state.reload} />
      ) : shown === undefined ? (
        <Loading label="Loading metrics…" />
      ) : (
        <div class="dashboard-body" aria-busy={state.loading ? 'true' : undefined}>
          {shown.metrics.length === 0 ? <FirstTraceHelp /> : <DashboardCharts metrics={shown.metrics} fromMs={shown.fromMs} />}
        </div>
      )}
    </div>
  );
}

function DashboardCharts({ metrics, fromMs }: { metrics: DailyMetricsView[]; fromMs: number }) {
  const dates: string[] = [];
  for (let day = utcDay(fromMs); day <= utcDay(Date.now()); day += DAY_MS) dates.push(new Date(day).toISOString().slice(0, 10));
  const byDate = new Map(metrics.map((day) => [day.date, day]));
  const days = dates.map((date) => Date.parse(`${date}T00:00:00Z`) / 1000);
  const traces = dates.map((date) => byDate.get(date)?.countTraces ?? 0);
  const errorRate = dates.map((date) => {
    const day = byDate.get(date);
    return day === undefined || day.countTraces === 0 ? null : (day.countErrorTraces / day.countTraces) * 100;
  });

  const models = topModels(metrics);
  // Days without any trace are gaps, not zeros: the lines start where the data does.
  // A cost the API summed as zero is one no price was known for (formatSummedCost): a gap too.
  const perModel = (pick: (usage: DailyMetricsView['usage'][number]) => number, zeroIsUnknown = false): ChartSeries[] =>
    models.map((model) => ({
      label: model === OTHER ? 'other' : (model ?? 'no model'),
      values: dates.map((date) => {
        const day = byDate.get(date);
        if (day === undefined || day.countTraces === 0) return null;
        const sum = day.usage.filter((entry) => (models.includes(entry.model) ? entry.model === model : model === OTHER)).reduce((total, entry) => total + pick(entry), 0);
        return zeroIsUnknown && sum === 0 ? null : sum;
      }),
    }));

  const totals = {
    traces: metrics.reduce((sum, day) => sum + day.countTraces, 0),
    tokens: metrics.reduce((sum, day) => sum + day.usage.reduce((inner, entry) => inner + entry.totalUsage, 0), 0),
    cost: metrics.reduce((sum, day) => sum + day.totalCost, 0),
    errors: metrics.reduce((sum, day) => sum + day.countErrorTraces, 0),
  };

  return (
    <>
      <div class="tiles">
        <Tile label="Traces" value={formatCount(totals.traces)} />
        <Tile label="Tokens" value={formatCount(totals.tokens)} />
        <Tile label="Cost" value={formatSummedCost(totals.cost)} />
        <Tile label="Error rate" value={totals.traces === 0 ? '—' : `${((totals.errors / totals.traces) * 100).toFixed(1)}%`} />
      </div>
      <div class="charts">
        <Chart title="Traces per day" days={days} kind="bars" series={[{ label: 'Traces', values: traces }]} format={(value) => formatCount(value)} />
        <Chart title="Error rate per day (traces with an error)" days={days} kind="bars" series={[{ label: 'Error rate', values: errorRate }]} format={formatPercent} />
        <Chart title="Tokens per day by model" days={days} kind="lines" series={perModel((entry) => entry.totalUsage)} format={(value) => formatCount(value)} />
        <Chart title="Cost per day by model (USD)" days={days} kind="lines" series={perModel((entry) => entry.totalCost, true)} format={(value) => formatCost(value)} />
      </div>
      <ModelTable metrics={metrics} />
    </>
  );
}

const OTHER = '\u0000other';

/** The models with the most cost (then tokens) over the period; the rest summed as "other". */
function topModels(metrics: DailyMetricsView[]): Array<string | null> {
  const totals = new Map<string | null, { cost: number; tokens: number }>();
  for (const day of metrics) {
    for (const entry of day.usage) {
      const total = totals.get(entry.model) ?? { cost: 0, tokens: 0 };
      total.cost += entry.totalCost;
      total.tokens += entry.totalUsage;
      totals.set(entry.model, total);
    }
  }
  const ranked = [...totals.entries()].sort((a, b) => b[1].cost - a[1].cost || b[1].tokens - a[1].tokens).map(([model]) => model);
  return ranked.length <= MAX_MODEL_SERIES ? ranked : [...ranked.slice(0, MAX_MODEL_SERIES - 1), OTHER];
}

function ModelTable({ metrics }: { metrics: DailyMetricsView[] }) {
  const rows = new Map<string, { traces: number; observations: number; input: number; output: number; cost: number }>();
  for (const day of metrics) {
    for (const entry of day.usage) {
      const key = entry.model ?? '(no model)';
      const row = rows.get(key) ?? { traces: 0, observations: 0, input: 0, output: 0, cost: 0 };
      row.traces += entry.countTraces;
      row.observations += entry.countObservations;
      row.input += entry.inputUsage;
      row.output += entry.outputUsage;
      row.cost += entry.totalCost;
      rows.set(key, row);
    }
  }
  return (
    <section>
      <h2>By model</h2>
      <DataTable
        head={
          <>
            <th scope="col">Model</th>
            <th scope="col" class="num">Trace-days</th>
            <th scope="col" class="num">Observations</th>
            <th scope="col" class="num">Input tokens</th>
            <th scope="col" class="num">Output tokens</th>
            <th scope="col" class="num">Cost</th>
          </>
        }
      >
        {[...rows.entries()]
          .sort((a, b) => b[1].cost - a[1].cost)
          .map(([model, row]) => (
            <tr key={model}>
              <td>{model}</td>
              <td class="num">{formatCount(row.traces)}</td>
              <td class="num">{formatCount(row.observations)}</td>
              <td class="num">{formatCount(row.input)}</td>
              <td class="num">{formatCount(row.output)}</td>
              <td class="num">{formatSummedCost(row.cost)}</td>
            </tr>
          ))}
      </DataTable>
    </section>
  );
}

function Tile({ label, value }: { label: string; value: string }) {
  return (
    <div class="tile">
      <div class="tile-label">{label}</div>
      <div class="tile-value">{value}</div>
    </div>
  );
}

function formatPercent(value: number): string {
  return `${value === 0 || value >= 10 ? value.toFixed(0) : value.toFixed(1)}%`;
}

function utcDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}
