/**
 * A per-day chart (uPlot): bars for one series, lines for several (one per model). Colours come
 * from the page's CSS variables, so it follows the light or dark scheme; it resizes with its box.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  values: Array<number | null>;
}

export interface ChartProps {
  title: string;
  /** Unix seconds of each UTC day. */
  days: number[];
  series: ChartSeries[];
  kind: 'bars' | 'lines';
  format(value: number): string;
  height?: number;
}

/** Readable on both schemes, distinct for the usual handful of models. */
export const SERIES_COLOURS = ['#3b82f6', '#f59e0b', '#10b981', '#ef4444', '#8b5cf6', '#06b6d4', '#ec4899', '#84cc16', '#94a3b8'];

const HALF_DAY_S = 43_200;

const darkScheme = () => matchMedia('(prefers-color-scheme: dark)');

export function Chart({ title, days, series, kind, format, height = 220 }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const [scheme, setScheme] = useState(() => darkScheme().matches);

  useEffect(() => {
    const query = darkScheme();
    const listener = () => setScheme(query.matches);
    query.addEventListener('change', listener);
    return () => query.removeEventListener('change', listener);
  }, []);

  useEffect(() => {
    const element = box.current;
    if (element === null) return;
    const style = getComputedStyle(document.documentElement);
    const muted = style.getPropertyValue('--muted').trim() || '#888';
    const grid = style.getPropertyValue('--grid').trim() || 'rgba(128,128,128,0.15)';
    const axis = { stroke: muted, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const plot = new uPlot(
      {
        width: Math.max(200, element.clientWidth),
        height,
        tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC'),
        cursor: { drag: { x: false, y: false } },
        legend: { show: true },
        scales: {
          // Half a day beyond the first and last day: their bars (and points) are drawn whole,
          // not cut in half at the plot's edges, and every chart's days line up.
          x: { time: true, range: (_u, min, max) => [min - HALF_DAY_S, max + HALF_DAY_S] },
          y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
        },
        axes: [
          { ...axis, values: (_u, ticks) => ticks.map((tick) => new Date(tick * 1000).toISOString().slice(5, 10)) },
          { ...axis, size: 64, values: (_u, ticks) => ticks.map(format) },
        ],
        series: [
          { label: 'Day', value: (_u, seconds) => (seconds === null ? '' : new Date(seconds * 1000).toISOString().slice(0, 10)) },
          ...series.map((entry, index) => {
            const colour = SERIES_COLOURS[index % SERIES_COLOURS.length] as string;
            return {
              label: entry.label,
              stroke: colour,
              width: kind === 'bars' ? 0 : 2,
              fill: kind === 'bars' ? colour : undefined,
              points: { show: kind === 'lines', size: 5, fill: colour },
              paths: kind === 'bars' ? uPlot.paths.bars?.({ size: [0.6, 48] }) : undefined,
              value: (_u: uPlot, value: number | null) => (value === null ? '—' : format(value)),
            };
          }),
        ],
      },
      [days, ...series.map((entry) => entry.values)],
      element,
    );
    const observer = new ResizeObserver(() => plot.setSize({ width: Math.max(200, element.clientWidth), height }));
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [JSON.stringify({ days, series, kind, height }), scheme]);

  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <div ref={box} class="chart-box" role="img" aria-label={title} />
    </figure>
  );
}
