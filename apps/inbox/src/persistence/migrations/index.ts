import { InitialSchema1735000000000 } from './1735000000000-initial-schema';
import { AuthTokens1737000000000 } from './1737000000000-auth-tokens';
import { OperatorShifts1738000000000 } from './1738000000000-operator-shifts';
import { BotWebhooks1739000000000 } from './1739000000000-bot-webhooks';
import { RevokedSessions1740000000000 } from './1740000000000-revoked-sessions';
import { OutboxQueue1741000000000 } from './1741000000000-outbox-queue';
import { BlobDeletions1742000000000 } from './1742000000000-blob-deletions';
import { LoginFailures1743000000000 } from './1743000000000-login-failures';
import { OutboxNotifyTrigger1744000000000 } from './1744000000000-outbox-notify-trigger';

/** Every migration, in order. */
export const INBOX_MIGRATIONS = [
  InitialSchema1735000000000, AuthTokens1737000000000, OperatorShifts1738000000000, BotWebhooks1739000000000, RevokedSessions1740000000000,
  OutboxQueue1741000000000,
  BlobDeletions1742000000000,
  LoginFailures1743000000000,
  OutboxNotifyTrigger1744000000000,
];
