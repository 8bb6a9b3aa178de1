/** Injection token of the InboxDatabase. */
export const INBOX_DATABASE = Symbol('INBOX_DATABASE');
