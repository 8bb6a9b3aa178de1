/** A signed reply token as the inbox makes them: lower-case letters and digits (DESIGN.md, "Email threading"). */
const TOKEN_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/i;

/**
 * Plus-addressing of the inbox address: replies go to `local+<token>@domain`, so the token comes
 * back in the envelope recipient / Delivered-To / To / Cc of the customer's answer.
 */
export class ReplyAddressCodec {
  private readonly local: string;
  private readonly domain: string;

  constructor(inboxAddress: string) {
    const at = inboxAddress.lastIndexOf('@');
    if (at <= 0 || at === inboxAddress.length - 1) throw new Error(`not an email address: ${inboxAddress}`);
    this.local = inboxAddress.slice(0, at).split('+')[0].toLowerCase();
    this.domain = inboxAddress.slice(at + 1).toLowerCase();
  }

  /** `local+token@domain`, or null when the token cannot live in a local part (the caller omits it) */
  encode(token: string): string | null {
    if (!TOKEN_PATTERN.test(token) || this.local.length + 1 + token.length > 64) return null;
    return `${this.local}+${token}@${this.domain}`;
  }

  /** true when the address is the inbox address, with or without a +detail */
  isInboxAddress(address: string): boolean {
    return this.split(address) !== null;
  }

  /**
   * The first token found in the candidates, in the order given (envelope recipient, Delivered-To,
   * X-Original-To, To, Cc): the +detail of an address of this inbox.
   */
  extract(candidates: readonly string[]): string | undefined {
    for (const candidate of candidates) {
      const detail = this.split(candidate);
      if (detail && TOKEN_PATTERN.test(detail)) return detail;
    }
    return undefined;
  }

  /** the +detail ('' when none) of an address of this inbox; null for other addresses */
  private split(address: string): string | null {
    const bare = address.trim().replace(/^<|>$/g, '').toLowerCase();
    const at = bare.lastIndexOf('@');
    if (at <= 0 || bare.slice(at + 1) !== this.domain) return null;
    const local = bare.slice(0, at);
    const plus = local.indexOf('+');
    const base = plus < 0 ? local : local.slice(0, plus);
    if (base !== this.local) return null;
    return plus < 0 ? '' : local.slice(plus + 1);
  }
}
