import { ContactRepository } from './contact.repository';
import { ContactsController } from './contacts.controller';
import { ContactsService } from './contacts.service';

/** Contacts' controllers and providers, spread into the InboxDomainModule (which provides the database, scope and conversation queries). */
export const ContactsFeature = {
  controllers: [ContactsController],
  providers: [ContactRepository, ContactsService],
} as const;
