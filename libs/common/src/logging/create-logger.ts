import pino, { Bindings, ChildLoggerOptions, DestinationStream, Logger } from 'pino';
import type { LogLevel } from '../config/env-fields';
import { currentBusContext } from '../bus/bus-context';
import { REDACTED, REDACTED_HEADER_PATHS, redactDeep } from './redact';

export interface CreateLoggerOptions {
  /** the service name, on every line as `service` */
  service: string;
  level?: LogLevel;
  /** where lines go (default stdout); tests pass a stream to read them */
  destination?: DestinationStream;
}

const HAS_CORRELATION_ID = Symbol('switchboard.hasCorrelationId');
type MarkedLogger = Logger & { [HAS_CORRELATION_ID]?: boolean };

const VERBOSE_LEVELS: ReadonlySet<string> = new Set(['debug', 'trace']);

/**
 * The service's pino logger: JSON lines with `service`, `context` (the Nest logger context),
 * `correlationId` (from the HTTP request or bus message being handled), ISO time, and secrets and
 * message bodies masked (bodies stay visible at debug/trace).
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  const level = options.level ?? 'info';
  const redactOptions = { maskBodies: !VERBOSE_LEVELS.has(level) };
  const logger = pino(
    {
      level,
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        bindings: (bindings) => redactDeep(bindings, redactOptions) as Record<string, unknown>,
        log: (object) => redactDeep(object, redactOptions) as Record<string, unknown>,
      },
      // the id of the request / bus message being handled, unless the logger's bindings carry it
      // already (pino-http's request loggers do, also for the line written after the response)
      mixin: (_object: object, _level: number, instance: Logger) => {
        if ((instance as MarkedLogger)[HAS_CORRELATION_ID]) return {};
        const context = currentBusContext();
        return context ? { correlationId: context.correlationId } : {};
      },
      redact: { paths: REDACTED_HEADER_PATHS, censor: REDACTED },
    },
    // default: synchronous stdout, so the last lines before an exit are not lost
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
  // pino applies formatters.bindings to the root's bindings only: mask child bindings here
  // (children are created from the root by prototype, so they inherit this override too)
  const child = logger.child;
  logger.child = function redactingChild<ChildLevels extends string = never>(
    this: Logger,
    bindings: Bindings,
    childOptions?: ChildLoggerOptions<ChildLevels>,
  ): Logger<ChildLevels> {
    const created = child.call(
      this,
      redactDeep(bindings, redactOptions) as Bindings,
      childOptions,
    ) as Logger<ChildLevels>;
    if (typeof bindings.correlationId === 'string')
      (created as unknown as MarkedLogger)[HAS_CORRELATION_ID] = true;
    return created;
  } as Logger['child'];
  return logger;
}
