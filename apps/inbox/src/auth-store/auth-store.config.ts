/** The part of the inbox's config (APP_CONFIG) the auth store reads. */
export interface AuthStoreConfig {
  DATABASE_URL: string;
  /** the token the gateway presents on the internal API */
  INTERNAL_API_TOKEN: string;
  /** the first admin, created once when both are set */
  ADMIN_EMAIL?: string;
  ADMIN_PASSWORD?: string;
  /** failed logins allowed per address and email within the window (five times as many per address) */
  LOGIN_MAX_ATTEMPTS: number;
  LOGIN_WINDOW_SECONDS: number;
}
