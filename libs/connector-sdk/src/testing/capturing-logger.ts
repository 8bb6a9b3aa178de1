import type { ConnectorLogger } from '../connector';

export interface CapturedLine {
  level: keyof ConnectorLogger;
  message: string;
  fields: Record<string, unknown>;
}

/** A ConnectorLogger that keeps every line, for asserting on what was (or was not) logged. */
export class CapturingLogger implements ConnectorLogger {
  readonly lines: CapturedLine[] = [];

  debug(message: string, fields: Record<string, unknown> = {}): void {
    this.lines.push({ level: 'debug', message, fields });
  }

  info(message: string, fields: Record<string, unknown> = {}): void {
    this.lines.push({ level: 'info', message, fields });
  }

  warn(message: string, fields: Record<string, unknown> = {}): void {
    this.lines.push({ level: 'warn', message, fields });
  }

  error(message: string, fields: Record<string, unknown> = {}): void {
    this.lines.push({ level: 'error', message, fields });
  }

  /** every line serialized (what a JSON log sink would write), one per line */
  text(): string {
    return this.lines.map((line) => safeJson(line)).join('\n');
  }
}

function safeJson(value: unknown): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(value, (_key, child: unknown) => {
    if (child instanceof Error)
      return { name: child.name, message: child.message, stack: child.stack, cause: child.cause };
    if (typeof child === 'bigint') return child.toString();
    if (child !== null && typeof child === 'object') {
      if (seen.has(child)) return '[Circular]';
      seen.add(child);
    }
    return child;
  });
}
