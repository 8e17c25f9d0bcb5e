/**
 * Turns failed exports into a few diag warnings. A collector that is down costs the app a
 * warning on the first failure and a summary at most once per interval, not one error per
 * batch (the BatchSpanProcessor would report each through the global error handler, and a
 * rejected batch would also reject the app's `flush()`).
 */
import { diag } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/** Default gap between two warnings about a failing export, in milliseconds. */
export const DEFAULT_WARNING_INTERVAL_MS = 60_000;

export class WarningExporter implements SpanExporter {
  private failingSince: number | undefined;
  private lastWarningAt = 0;
  private droppedSinceWarning = 0;

  constructor(
    private readonly inner: SpanExporter,
    /** Where the spans were going, for the message. */
    private readonly destination: string,
    private readonly warningIntervalMs: number = DEFAULT_WARNING_INTERVAL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.inner.export(spans, (result) => {
      if (result.code === ExportResultCode.SUCCESS) this.noteSuccess();
      else this.noteFailure(spans.length, result.error);
      // Failed batches are dropped either way (the BatchSpanProcessor does not retry them).
      resultCallback({ code: ExportResultCode.SUCCESS });
    });
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  private noteSuccess(): void {
    if (this.failingSince === undefined) return;
    diag.warn(
      `spanlite: exporting to ${this.destination} works again (${this.droppedSinceWarning} more spans were dropped)`,
    );
    this.failingSince = undefined;
    this.droppedSinceWarning = 0;
  }

  private noteFailure(spanCount: number, error: Error | undefined): void {
    const now = this.now();
    this.droppedSinceWarning += spanCount;
    const reason = error?.message ?? 'unknown error';
    if (this.failingSince === undefined) {
      this.failingSince = now;
    } else if (now - this.lastWarningAt < this.warningIntervalMs) {
      return;
    }
    diag.warn(
      `spanlite: could not export ${this.droppedSinceWarning} spans to ${this.destination} (${reason}); ` +
        'they were dropped and the app carries on. Is the collector running?',
    );
    this.lastWarningAt = now;
    this.droppedSinceWarning = 0;
  }
}
