/** Config keys whose string values are secrets (encrypted at rest, write-only, decrypted only by the connector). */
const SECRET_KEY = /(password|passwd|secret|token|api[-_]?key|private[-_]?key|credential)/i;

export interface SplitConfig {
  /** non-secret settings, as given (nested objects kept) */
  settings: Record<string, unknown>;
  /** secrets by dotted path (`imap.password`, `botToken`); null asks to remove a stored secret */
  secrets: Record<string, string | null>;
}

/**
 * Splits an inbox's `config` into settings and secrets without knowing the channel: a string value
 * under a key that names a secret (password, token, secret, api key, …) at any depth is a secret,
 * named by its dotted path — the names connectors list in their manifest's `secretNames`.
 */
export class ChannelConfigSplitter {
  static split(config: Record<string, unknown>): SplitConfig {
    const secrets: Record<string, string | null> = {};
    const settings = this.walk(config, '', secrets);
    return { settings, secrets };
  }

  /** `patch` over `base`, objects merged key by key, anything else replaced (null removes a key) */
  static merge(base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete out[key];
      else if (isObject(value) && isObject(out[key])) out[key] = this.merge(out[key] as Record<string, unknown>, value);
      else out[key] = value;
    }
    return out;
  }

  private static walk(value: Record<string, unknown>, prefix: string, secrets: Record<string, string | null>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (SECRET_KEY.test(key) && (typeof item === 'string' || item === null)) {
        secrets[path] = item;
      } else if (isObject(item)) {
        out[key] = this.walk(item, path, secrets);
      } else {
        out[key] = item;
      }
    }
    return out;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
