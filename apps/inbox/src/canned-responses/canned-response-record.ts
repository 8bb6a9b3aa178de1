/** A script (canned response) as the API shows it. */
export interface CannedResponseRecord {
  id: string;
  shortcut: string;
  title: string;
  body: string;
  language: string | null;
  /** empty: every inbox */
  inboxIds: string[];
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}
