/**
 * Read-back check: every accepted trace is fetched through the collector's REST API and its
 * non-EVENT observations counted against the spans sent for it.
 */

export interface VerifyResult {
  tracesChecked: number;
  /** Traces left unread when the time limit struck (neither counted as found nor as lost). */
  tracesUnchecked: number;
  spansExpected: number;
  spansFound: number;
  /** spansExpected - spansFound (0 when nothing was lost). */
  lostSpans: number;
  tracesMissing: number;
  scoresExpected: number;
  scoresFound: number;
  /**
   * Traces whose read failed other than with 404 (time-out, transport error, 5xx): neither found
   * nor lost, reported apart.
   */
  readErrors: number;
  firstProblem: string | null;
  seconds: number;
}

interface TraceBody {
  observations?: { type?: string }[];
  scores?: unknown[];
}

export async function verifyTraces(options: {
  baseUrl: string;
  traceIds: readonly string[];
  spansPerTrace: number;
  scoresPerTrace: number;
  concurrency: number;
  /** Time limit of the whole read-back; what is left is reported unchecked. */
  timeoutMs: number;
  /** Time limit of one GET. Default 30 s. */
  requestTimeoutMs?: number;
}): Promise<VerifyResult> {
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const startedAt = performance.now();
  const deadline = startedAt + options.timeoutMs;
  const result: VerifyResult = {
    tracesChecked: 0,
    tracesUnchecked: 0,
    spansExpected: 0,
    spansFound: 0,
    lostSpans: 0,
    tracesMissing: 0,
    scoresExpected: 0,
    scoresFound: 0,
    readErrors: 0,
    firstProblem: null,
    seconds: 0,
  };
  let next = 0;

  const check = async (traceId: string): Promise<void> => {
    const readError = (problem: string) => {
      result.readErrors += 1;
      result.firstProblem ??= `trace ${traceId}: ${problem}`;
    };
    let response: Response;
    let body: TraceBody;
    try {
      response = await fetch(`${options.baseUrl}/api/public/traces/${traceId}`, {
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
      if (response.status === 404) {
        await response.body?.cancel();
      } else if (!response.ok) {
        return readError(`HTTP ${response.status} ${(await response.text()).slice(0, 200)}`);
      }
      body = response.status === 404 ? {} : ((await response.json()) as TraceBody);
    } catch (error) {
      return readError((error as Error).message);
    }
    result.tracesChecked += 1;
    result.spansExpected += options.spansPerTrace;
    result.scoresExpected += options.scoresPerTrace;
    if (response.status === 404) {
      result.tracesMissing += 1;
      result.firstProblem ??= `trace ${traceId}: not found`;
      return;
    }
    const spans = (body.observations ?? []).filter((o) => o.type !== 'EVENT').length;
    result.spansFound += spans;
    result.scoresFound += body.scores?.length ?? 0;
    if (spans !== options.spansPerTrace) {
      result.firstProblem ??= `trace ${traceId}: ${spans} of ${options.spansPerTrace} spans readable`;
    }
  };

  const worker = async (): Promise<void> => {
    while (next < options.traceIds.length && performance.now() < deadline) {
      await check(options.traceIds[next++]!);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  result.tracesUnchecked = options.traceIds.length - next;
  if (result.tracesUnchecked > 0) {
    result.firstProblem ??= `read-back stopped after ${options.timeoutMs / 1000} s with ${result.tracesUnchecked} traces unchecked`;
  }
  result.lostSpans = result.spansExpected - result.spansFound;
  result.seconds = (performance.now() - startedAt) / 1000;
  return result;
}
