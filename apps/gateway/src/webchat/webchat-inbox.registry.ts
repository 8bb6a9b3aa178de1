import type { InboxContext, InboxRuntimeConfig } from '@switchboard/connector-sdk';
import type { WebchatSettings } from './webchat.manifest';

/** A running web chat inbox as the public endpoints need it. */
export interface WebchatInbox {
  inboxId: string;
  name: string;
  /** what the widget names it by */
  key: string;
  allowedOrigins: readonly string[];
  /** HMAC key of identity verification, when the inbox has one */
  identitySecret?: string;
  maxAttachmentBytes?: number;
  allowedContentTypes?: readonly string[];
  context: InboxContext;
}

/**
 * The web chat inboxes this instance serves, kept by the connector's sessions (started and
 * stopped live by the ConnectorHost from inbox.channels.v1): the lookup of the public endpoints.
 */
export class WebchatInboxRegistry {
  private readonly byInboxId = new Map<string, WebchatInbox>();
  private readonly byKey = new Map<string, WebchatInbox>();

  register(config: InboxRuntimeConfig<WebchatSettings>, context: InboxContext): WebchatInbox {
    this.remove(config.inboxId);
    const inbox: WebchatInbox = {
      inboxId: config.inboxId,
      name: config.name,
      key: config.settings.inboxKey ?? config.inboxId,
      allowedOrigins: config.settings.allowedOrigins,
      identitySecret: config.secrets.identitySecret || undefined,
      maxAttachmentBytes: config.settings.maxAttachmentBytes,
      allowedContentTypes: config.settings.allowedContentTypes,
      context,
    };
    this.byInboxId.set(inbox.inboxId, inbox);
    this.byKey.set(inbox.key, inbox);
    if (inbox.key !== inbox.inboxId) this.byKey.set(inbox.inboxId, inbox);
    return inbox;
  }

  /** removes the inbox (only when `context` is still the registered one, when given) */
  remove(inboxId: string, context?: InboxContext): void {
    const existing = this.byInboxId.get(inboxId);
    if (!existing || (context && existing.context !== context)) return;
    this.byInboxId.delete(inboxId);
    for (const [key, value] of this.byKey) if (value === existing) this.byKey.delete(key);
  }

  byPublicKey(key: string): WebchatInbox | undefined {
    return this.byKey.get(key);
  }

  byId(inboxId: string): WebchatInbox | undefined {
    return this.byInboxId.get(inboxId);
  }

  /** may a page on `origin` talk to this inbox? (no Origin header: not a browser, CORS does not apply) */
  static allows(inbox: Pick<WebchatInbox, 'allowedOrigins'>, origin: string | undefined): boolean {
    if (!origin) return true;
    const normalized = origin.replace(/\/+$/, '').toLowerCase();
    return inbox.allowedOrigins.includes('*') || inbox.allowedOrigins.includes(normalized);
  }

  /** does any web chat inbox allow `origin`? (CORS preflights carry no inbox) */
  allowsAnywhere(origin: string): boolean {
    for (const inbox of this.byInboxId.values()) if (WebchatInboxRegistry.allows(inbox, origin)) return true;
    return false;
  }
}
