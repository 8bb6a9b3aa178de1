import { Module } from '@nestjs/common';
import { InboxClientModule } from '../inbox-client/inbox-client.module';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsService } from './attachments.service';
import { BotsController } from './bots.controller';
import { CannedResponsesController } from './canned-responses.controller';
import { ContactsController } from './contacts.controller';
import { ConversationsController } from './conversations.controller';
import { InboxForwarder } from './inbox-forwarder.service';
import { InboxesController } from './inboxes.controller';
import { MeController } from './me.controller';
import { OperatorsController } from './operators.controller';
import { TeamsController } from './teams.controller';

/** The public REST API /api/v1 (API.md): validated, role-checked, forwarded to the inbox as the caller. */
@Module({
  imports: [InboxClientModule],
  controllers: [
    MeController,
    OperatorsController,
    TeamsController,
    InboxesController,
    BotsController,
    ConversationsController,
    ContactsController,
    CannedResponsesController,
    AttachmentsController,
  ],
  providers: [InboxForwarder, AttachmentsService],
})
export class ApiModule {}
