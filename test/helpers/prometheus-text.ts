/**
 * Prometheus's text exposition format (version 0.0.4), read back for tests: every sample line
 * parsed, and a check that each sample belongs to a metric declared by a `# TYPE` line.
 * https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  samples: Sample[];
  /** Metric name -> type (counter, gauge, histogram, summary, untyped). */
  types: Map<string, string>;
  /** The value of the sample named `name` whose labels include `labels`; undefined when there is none. */
  value(name: string, labels?: Record<string, string>): number | undefined;
}

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: \d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
/** Histogram and summary samples are named after their metric with one of these. */
const HISTOGRAM_SUFFIXES = ['_bucket', '_sum', '_count'];

/** @throws Error naming the line that is not a comment, a sample or blank, or a sample of an undeclared metric. */
export function parsePrometheusText(text: string): Exposition {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const typeLine = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (typeLine !== null) {
      types.set(typeLine[1]!, typeLine[2]!);
      continue;
    }
    if (line.startsWith('#')) continue;
    const match = SAMPLE_LINE.exec(line);
    if (match === null) throw new Error(`not a Prometheus sample line: ${JSON.stringify(line)}`);
    const [, name, labelText = '', value] = match;
    const labels = Object.fromEntries([...labelText.matchAll(LABEL)].map(([, key, raw]) => [key!, unescape(raw!)]));
    samples.push({ name: name!, labels, value: Number(value) });
  }
  for (const { name } of samples) {
    const families = [name, ...HISTOGRAM_SUFFIXES.filter((suffix) => name.endsWith(suffix)).map((suffix) => name.slice(0, -suffix.length))];
    if (!families.some((family) => types.has(family))) throw new Error(`sample ${name} has no # TYPE line`);
  }
  return {
    samples,
    types,
    value(name, labels = {}) {
      return samples.find((sample) => sample.name === name && Object.entries(labels).every(([key, want]) => sample.labels[key] === want))
        ?.value;
    },
  };
}

function unescape(raw: string): string {
  return raw.replace(/\\(.)/g, (_, char: string) => (char === 'n' ? '\n' : char));
}
