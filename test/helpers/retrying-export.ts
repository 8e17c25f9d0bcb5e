/**
 * One OTLP/HTTP export as the OTel exporters send it: POSTed with the export timeout, and sent
 * again on a retryable answer (429, 502, 503, 504) or a failed connection, after the Retry-After
 * the answer came with (1 s without one), up to a number of attempts. Every answer is kept, so a
 * test can say what the collector answered on the way.
 */
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';

export interface ExportAnswer {
  /** The HTTP status; 'timeout' when no answer came within the export timeout, 'error' when the connection failed. */
  status: number | 'timeout' | 'error';
  /** The Retry-After header; null without one. */
  retryAfter: string | null;
  /** The message of an error answer's google.rpc.Status; '' for a success. */
  message: string;
}

export interface RetryingExportOptions {
  /** Attempts at most, the first included; default 6 (the exporters' first try and 5 retries). */
  attempts?: number;
  /** How long one attempt may wait for its answer, in ms; default 10 000 (the exporters' default). */
  timeoutMs?: number;
  /** Told of each answer as it comes. */
  onAnswer?: (answer: ExportAnswer) => void;
}

const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/** The spans as one OTLP/JSON export request body, as the JSON exporter encodes it. */
export function otlpJsonBody(spans: ReadableSpan[]): Uint8Array {
  return JsonTraceSerializer.serializeRequest(spans)!;
}

/** Sends one OTLP/JSON export; resolves with every answer, the last one deciding (200: stored). */
export async function exportWithRetries(
  tracesEndpoint: string,
  body: Uint8Array,
  options: RetryingExportOptions = {},
): Promise<ExportAnswer[]> {
  const attempts = options.attempts ?? 6;
  const answers: ExportAnswer[] = [];
  for (let attempt = 1; ; attempt++) {
    const answer = await post(tracesEndpoint, body, options.timeoutMs ?? 10_000);
    answers.push(answer);
    options.onAnswer?.(answer);
    const retryable = typeof answer.status !== 'number' || RETRYABLE_STATUSES.has(answer.status);
    if (!retryable || attempt === attempts) return answers;
    const seconds = Number(answer.retryAfter ?? 1);
    await new Promise((resolve) => setTimeout(resolve, (Number.isFinite(seconds) ? seconds : 1) * 1000));
  }
}

async function post(url: string, body: Uint8Array, timeoutMs: number): Promise<ExportAnswer> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    return { status: response.status, retryAfter: response.headers.get('retry-after'), message: response.ok ? '' : statusMessage(text) };
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError';
    return { status: timedOut ? 'timeout' : 'error', retryAfter: null, message: (error as Error).message };
  }
}

/** google.rpc.Status in JSON: its message, or the body itself when it is not one. */
function statusMessage(body: string): string {
  try {
    const { message } = JSON.parse(body) as { message?: unknown };
    return typeof message === 'string' ? message : body;
  } catch {
    return body;
  }
}
