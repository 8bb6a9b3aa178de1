import type { InboxContext } from '@switchboard/connector-sdk';

/** The slice of the host's InboxContext the update processor uses. */
export type InboxContextLike = Pick<InboxContext, 'inboxId' | 'logger' | 'blobs' | 'emit' | 'emitEdit' | 'deadLetter'>;

/** The Telegram update kinds this connector asks for (allowed_updates). */
export const TELEGRAM_ALLOWED_UPDATES = ['message', 'edited_message'] as const;
