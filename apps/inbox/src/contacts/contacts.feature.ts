import type { Provider } from '@nestjs/common';
import { FsBlobStore } from '@switchboard/common';
import { INBOX_DOMAIN_OPTIONS, type InboxDomainOptions } from '../inbox-domain.options';
import { BLOB_ERASURE_OPTIONS, BlobErasureSweeper, type BlobErasureOptions } from './blob-erasure.sweeper';
import { ContactRepository } from './contact.repository';
import { ContactsController } from './contacts.controller';
import { ContactsService } from './contacts.service';

/**
 * Contacts' controllers and providers (and the sweep that deletes erased contacts' attachment files),
 * spread into the InboxDomainModule (which provides the database, scope and conversation queries).
 */
export const ContactsFeature: { controllers: Array<new (...args: never[]) => unknown>; providers: Provider[] } = {
  controllers: [ContactsController],
  providers: [
    {
      provide: BLOB_ERASURE_OPTIONS,
      useFactory: (options: InboxDomainOptions): BlobErasureOptions => ({
        store: options.blobs ? new FsBlobStore(options.blobs.dir) : null,
        sweepMs: options.blobs?.erasureSweepMs ?? 0,
      }),
      inject: [INBOX_DOMAIN_OPTIONS],
    },
    BlobErasureSweeper,
    ContactRepository,
    ContactsService,
  ],
};
