import type { ConnectorLogger } from '../connector';

/** The shape of a pino logger (or the bus's BusLogger): fields first, message second. */
export interface StructuredLogSink {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

/**
 * Adapts a pino logger to the ConnectorLogger shape the SDK uses (message first). The host wraps
 * it in a MaskingLogger, so secrets are masked before they get here.
 */
export class PinoConnectorLogger implements ConnectorLogger {
  constructor(private readonly sink: StructuredLogSink) {}

  debug(message: string, fields: Record<string, unknown> = {}): void {
    this.sink.debug(fields, message);
  }

  info(message: string, fields: Record<string, unknown> = {}): void {
    this.sink.info(fields, message);
  }

  warn(message: string, fields: Record<string, unknown> = {}): void {
    this.sink.warn(fields, message);
  }

  error(message: string, fields: Record<string, unknown> = {}): void {
    this.sink.error(fields, message);
  }
}
