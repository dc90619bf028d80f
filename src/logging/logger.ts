// One pino instance for Fastify's request logs and Nest's own logging: JSON lines with a request id.
// Credentials never reach a line: headers are not serialised and known secret fields are redacted.
import { LoggerService } from '@nestjs/common';
import pino, { Logger as PinoLogger } from 'pino';
import { LogLevel } from '../config/environment';

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'headers.authorization',
  'authorization',
  'token',
  '*.token',
  'password',
  '*.password',
  'adminToken',
];

export function createRootLogger(level: LogLevel, destination?: pino.DestinationStream): PinoLogger {
  return pino(
    {
      level,
      base: { service: 'roster' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

/** Nest's LoggerService on top of pino, so framework and application messages share one format. */
export class JsonLogger implements LoggerService {
  constructor(private readonly root: PinoLogger) {}

  log(message: unknown, ...optional: unknown[]) {
    this.write('info', message, optional);
  }
  error(message: unknown, ...optional: unknown[]) {
    this.write('error', message, optional);
  }
  warn(message: unknown, ...optional: unknown[]) {
    this.write('warn', message, optional);
  }
  debug(message: unknown, ...optional: unknown[]) {
    this.write('debug', message, optional);
  }
  verbose(message: unknown, ...optional: unknown[]) {
    this.write('trace', message, optional);
  }
  fatal(message: unknown, ...optional: unknown[]) {
    this.write('fatal', message, optional);
  }

  private write(level: pino.Level, message: unknown, optional: unknown[]) {
    // Nest passes (message, context) or (message, stack, context) for errors.
    const context = typeof optional[optional.length - 1] === 'string' ? (optional.pop() as string) : undefined;
    const stack = typeof optional[0] === 'string' ? (optional[0] as string) : undefined;
    const fields: Record<string, unknown> = { context };
    if (stack) fields.stack = stack;
    if (message instanceof Error) {
      this.root[level]({ ...fields, err: message }, message.message);
    } else if (message && typeof message === 'object') {
      const { msg, ...rest } = message as Record<string, unknown>;
      this.root[level]({ ...fields, ...rest }, typeof msg === 'string' ? msg : undefined);
    } else {
      this.root[level](fields, String(message));
    }
  }
}
