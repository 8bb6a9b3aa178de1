import { CannedResponseRepository } from './canned-response.repository';
import { CannedResponsesController } from './canned-responses.controller';
import { CannedResponsesService } from './canned-responses.service';

/** Scripts' controllers and providers, spread into the InboxDomainModule (which provides the database and scope). */
export const CannedResponsesFeature = {
  controllers: [CannedResponsesController],
  providers: [CannedResponseRepository, CannedResponsesService],
} as const;
