/** Injection token of BotWebhookOptions. */
export const BOT_WEBHOOK_OPTIONS = Symbol('BOT_WEBHOOK_OPTIONS');

/** Bot webhook delivery and the bot-timeout sweep (from BOT_WEBHOOK_* / BOT_TIMEOUT_SWEEP_MS). */
export interface BotWebhookOptions {
  /** the first retry waits this long, each next one twice as long */
  retryBaseMs: number;
  /** POSTs of one event at most; after the last failure the conversation is handed off */
  maxAttempts: number;
  /** one POST's time limit */
  requestTimeoutMs: number;
  /** how often the dispatcher looks for due deliveries (it is also woken in-process) */
  pollIntervalMs: number;
  /** how often silent bots are looked for; 0 turns the sweep off */
  timeoutSweepMs: number;
  /** webhooks may be on this host or private networks (development); off: public addresses only */
  allowPrivateNetworks: boolean;
}

export const DEFAULT_BOT_WEBHOOK_OPTIONS: BotWebhookOptions = {
  retryBaseMs: 1000,
  maxAttempts: 5,
  requestTimeoutMs: 10_000,
  pollIntervalMs: 500,
  timeoutSweepMs: 2000,
  allowPrivateNetworks: false,
};

/** the wait before attempt `attempts + 1` after `attempts` failed ones: base · 2^(attempts-1), capped at an hour */
export function retryDelayMs(options: Pick<BotWebhookOptions, 'retryBaseMs'>, attempts: number): number {
  return Math.min(options.retryBaseMs * 2 ** Math.max(0, attempts - 1), 3_600_000);
}
