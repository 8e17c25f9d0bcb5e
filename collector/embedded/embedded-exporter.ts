/**
 * `spanlite/embedded`: a SpanExporter that writes spans straight into a local SQLite database
 * through the collector's own mapping, pricing and store, for scripts and tests that run no
 * collector process. Use it with `register({ exporter: createEmbeddedExporter() })`.
 *
 * This entry point loads better-sqlite3 (and not Fastify); `spanlite` itself loads neither.
 */
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { loadPricingFile } from '../../config/pricing.js';
import { loadDefaultPriceIndex } from '../pricing/default-price-index.js';
import { openSqliteStore } from '../store/sqlite/store.js';
import { createWriteQueue } from '../write-queue.js';
import { createPipeline } from '../pipeline.js';
import { decodedFromReadableSpan } from './readable-span.js';
import type { TraceStore } from '../store/contract.js';

/** `ExportResultCode` values (imported as numbers to keep @opentelemetry/core a type-only import). */
const SUCCESS = 0;
const FAILED = 1;

export interface EmbeddedExporterOptions {
  /** SQLite file (created with its folder if missing). Default `./data/spanlite.db`. */
  dbFile?: string;
  /** A pricing file whose prices are matched before the model catalog's (the collector's format). */
  pricingFile?: string;
  /** Project the spans are stored under. Default `default` (the collector's keyless project). */
  projectId?: string;
}

export interface EmbeddedSpanExporter extends SpanExporter {
  /** The store the spans go to, for reading them back in the same process. */
  readonly store: TraceStore;
  /** Resolves when every span handed to `export` so far is committed. */
  forceFlush(): Promise<void>;
}

export function createEmbeddedExporter(options: EmbeddedExporterOptions = {}): EmbeddedSpanExporter {
  const prices = loadDefaultPriceIndex(options.pricingFile === undefined ? [] : loadPricingFile(options.pricingFile));
  // A catalog that cannot be read fails each export with its reason, not the host app.
  prices.catch(() => {});
  const store = openSqliteStore({ file: options.dbFile ?? './data/spanlite.db', synchronous: 'normal' });
  const queue = createWriteQueue({ store, maxQueuedSpans: 1_000_000 });
  const pipeline = createPipeline({ queue, prices: { indexFor: () => prices } });
  const projectId = options.projectId ?? 'default';
  let shutdown: Promise<void> | null = null;

  return {
    store,
    export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
      if (shutdown !== null) {
        resultCallback({ code: FAILED, error: new Error('spanlite embedded exporter is shut down') });
        return;
      }
      let decoded;
      try {
        decoded = { spans: spans.map(decodedFromReadableSpan), refused: [] };
      } catch (error) {
        resultCallback({ code: FAILED, error: error as Error });
        return;
      }
      pipeline.ingest(projectId, decoded).then(
        () => resultCallback({ code: SUCCESS }),
        (error: Error) => resultCallback({ code: FAILED, error }),
      );
    },
    forceFlush(): Promise<void> {
      return queue.drain();
    },
    shutdown(): Promise<void> {
      shutdown ??= queue.drain().then(() => store.close());
      return shutdown;
    },
  };
}
