/** What a secret is replaced with in logs, receipts and status reasons. */
export const SECRET_MASK = '***';

/**
 * Replaces every known secret value by `***` in strings and (deep copies of) structured values.
 * The host registers each inbox's decrypted secrets here before the inbox starts, and every
 * logger, status reason and failure reason it produces goes through it. Values are never
 * forgotten: a rotated-out secret can still show up in a late log line of the old session.
 * Besides the raw value it masks the URL-encoded and JSON-escaped forms, which is how a secret
 * usually travels inside an error message (a URL with a token) or a serialized payload.
 */
export class SecretMasker {
  private readonly needles = new Set<string>();
  /** longest first, so a secret that contains another one is masked whole */
  private sorted: string[] = [];

  add(values: Iterable<string>): void {
    let changed = false;
    for (const value of values) {
      if (typeof value !== 'string' || value.length === 0) continue;
      for (const form of [value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)]) {
        if (form.length > 0 && !this.needles.has(form)) {
          this.needles.add(form);
          changed = true;
        }
      }
    }
    if (changed) this.sorted = [...this.needles].sort((a, b) => b.length - a.length);
  }

  get size(): number {
    return this.needles.size;
  }

  maskString(text: string): string {
    let out = text;
    for (const needle of this.sorted) {
      if (out.includes(needle)) out = out.split(needle).join(SECRET_MASK);
    }
    return out;
  }

  /** A copy of `value` with every secret masked: strings, arrays, plain objects, errors, buffers as text. */
  mask(value: unknown): unknown {
    if (this.sorted.length === 0) return value;
    return this.maskValue(value, 0, new WeakSet<object>());
  }

  private maskValue(value: unknown, depth: number, seen: WeakSet<object>): unknown {
    if (typeof value === 'string') return this.maskString(value);
    if (value === null || typeof value !== 'object') return value;
    if (depth > 12) return '[Truncated]';
    if (seen.has(value)) return '[Circular]';
    seen.add(value);
    try {
      if (Buffer.isBuffer(value)) return this.maskString(value.toString('utf8'));
      if (value instanceof Error) return this.maskError(value, depth, seen);
      if (Array.isArray(value)) return value.map((item) => this.maskValue(item, depth + 1, seen));
      if (value instanceof Date) return value;
      if (value instanceof Map) {
        return Object.fromEntries(
          [...value].map(([k, v]) => [this.maskString(String(k)), this.maskValue(v, depth + 1, seen)]),
        );
      }
      const copy: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(value)) {
        copy[this.maskString(key)] = this.maskValue(child, depth + 1, seen);
      }
      return copy;
    } finally {
      seen.delete(value);
    }
  }

  private maskError(error: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> {
    const out: Record<string, unknown> = {
      type: error.name,
      message: this.maskString(error.message),
    };
    if (error.stack) out.stack = this.maskString(error.stack);
    for (const [key, child] of Object.entries(error)) {
      if (!(key in out)) out[key] = this.maskValue(child, depth + 1, seen);
    }
    if (error.cause !== undefined) out.cause = this.maskValue(error.cause, depth + 1, seen);
    return out;
  }
}
