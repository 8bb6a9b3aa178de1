import type { ConnectorLogger } from '../connector';
import type { SecretMasker } from './secret-masker';

type Level = keyof ConnectorLogger;

/**
 * A ConnectorLogger that masks every secret the host knows (in the message and at any depth of
 * the fields) before handing the line to the underlying logger, and adds fixed fields (connector,
 * inboxId). This is the logger connectors get in their InboxContext.
 */
export class MaskingLogger implements ConnectorLogger {
  constructor(
    private readonly target: ConnectorLogger,
    private readonly masker: SecretMasker,
    private readonly bindings: Record<string, unknown> = {},
  ) {}

  /** the same target and masker with more fixed fields */
  child(bindings: Record<string, unknown>): MaskingLogger {
    return new MaskingLogger(this.target, this.masker, { ...this.bindings, ...bindings });
  }

  debug(message: string, fields?: Record<string, unknown>): void {
    this.write('debug', message, fields);
  }

  info(message: string, fields?: Record<string, unknown>): void {
    this.write('info', message, fields);
  }

  warn(message: string, fields?: Record<string, unknown>): void {
    this.write('warn', message, fields);
  }

  error(message: string, fields?: Record<string, unknown>): void {
    this.write('error', message, fields);
  }

  private write(level: Level, message: string, fields?: Record<string, unknown>): void {
    const merged = { ...this.bindings, ...fields };
    try {
      this.target[level](
        this.masker.maskString(String(message)),
        this.masker.mask(merged) as Record<string, unknown>,
      );
    } catch {
      // a failing log sink must never break message handling
    }
  }
}
