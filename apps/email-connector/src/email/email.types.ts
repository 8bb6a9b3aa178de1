/** One stored email as the connector reads it from the mailbox (the `Raw` of EmailImapConnector). */
export interface RawEmail {
  /** the message as stored (RFC 5322 bytes) */
  source: Buffer;
  /** when the server received it (IMAP INTERNALDATE); taken from the Received headers when absent */
  receivedAt?: Date;
  /** where it came from (for diagnostics in channelMetadata and dead letters) */
  origin?: { mailbox: string; uidValidity: number; uid: number };
}

/** The IMAP cursor kept in connector.offsets.v1 (position of `email-imap:<inboxId>`). */
export interface MailboxCursor {
  uidValidity: number;
  /** every message with a UID up to this one has been emitted (or dead-lettered) */
  lastUid: number;
  /** INTERNALDATE of the last message, ISO; used to backfill safely after a UIDVALIDITY change */
  lastReceivedAt: string | null;
}
