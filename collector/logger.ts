/**
 * The collector process's logger: pino JSON lines for machines, or pino-pretty's lines for people
 * (through pino's own transport, in a worker thread). Unset format: pretty on a terminal, json
 * when standard output is a pipe or a file.
 */
import pino, { type Logger } from 'pino';
import type { CollectorConfig } from '../config/collector-config.js';

export type LogFormat = 'json' | 'pretty';

export interface LoggerOptions {
  level: CollectorConfig['logLevel'];
  /** SPANLITE_LOG_FORMAT; undefined: chosen by `terminal`. */
  format: LogFormat | undefined;
  /** Whether standard output is a terminal: picks the format when unset, and colours. */
  terminal: boolean;
}

export function logFormatOf(options: Pick<LoggerOptions, 'format' | 'terminal'>): LogFormat {
  return options.format ?? (options.terminal ? 'pretty' : 'json');
}

export function createLogger(options: LoggerOptions): Logger {
  if (logFormatOf(options) === 'json') return pino({ level: options.level });
  const transport = pino.transport({
    target: 'pino-pretty',
    options: { colorize: options.terminal, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' },
  });
  return pino({ level: options.level }, transport);
}
