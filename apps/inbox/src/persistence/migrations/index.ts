import { InitialSchema1735000000000 } from './1735000000000-initial-schema';
import { AuthTokens1737000000000 } from './1737000000000-auth-tokens';

/** Every migration, in order. */
export const INBOX_MIGRATIONS = [InitialSchema1735000000000, AuthTokens1737000000000];
