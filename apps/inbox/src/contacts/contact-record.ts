/** A contact as the API shows it (API.md, "Contacts"). */
export interface ContactRecord {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  language: string | null;
  attributes: Record<string, unknown>;
  mergedIntoId: string | null;
  createdAt: string;
  updatedAt: string;
  erasedAt: string | null;
  identities: ContactIdentityRecord[];
}

/** The contact's address on one channel. */
export interface ContactIdentityRecord {
  id: string;
  channel: string;
  externalId: string;
  displayName: string | null;
  username: string | null;
  email: string | null;
  phone: string | null;
  createdAt: string;
}
