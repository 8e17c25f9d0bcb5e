/**
 * grpc-js writes its own lines to standard error ("E No address added out of total 1 resolved"
 * before the bind error that says the same is thrown). In the collector process they go to its
 * log at debug level instead, so a failed start reads as one message and JSON output stays JSON.
 * GRPC_VERBOSITY still chooses which of them grpc-js emits.
 */
import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';

/** Process-wide: grpc-js has one logger. */
export function routeGrpcLogs(logger: Pick<Logger, 'debug'>): void {
  const toDebug = (...parts: unknown[]) => logger.debug({ component: 'grpc-js' }, parts.map(String).join(' '));
  grpc.setLogger({ error: toDebug, info: toDebug, debug: toDebug });
}
