import { DynamicModule, Module, Provider } from '@nestjs/common';
import { CompactedTopics, Topics, type MessageBus } from '@switchboard/common';
import { KafkaBus } from '@switchboard/common/bus/kafka/kafka-bus';
import { ReplyTokenSigner, SecretBox } from '@switchboard/common/crypto';
import { ConversationEventRepository } from './audit/conversation-event.repository';
import { InboxBusLifecycle } from './bus/inbox-bus.lifecycle';
import { MESSAGE_BUS } from './bus/bus.tokens';
import { ConversationRepository } from './conversations/conversation.repository';
import { DeliveryConsumer } from './delivery/delivery.consumer';
import { DeliveryRepository } from './delivery/delivery.repository';
import { DeliveryService } from './delivery/delivery.service';
import { INBOX_DOMAIN_OPTIONS, type InboxDomainOptions } from './inbox-domain.options';
import { InboxDirectory } from './inboxes/inbox-directory.service';
import { InboundConsumer } from './ingestion/inbound.consumer';
import { IngestionRepository } from './ingestion/ingestion.repository';
import { IngestionService } from './ingestion/ingestion.service';
import { OUTBOX_RELAY_OPTIONS, OutboxRelay, type OutboxRelayOptions } from './outbox/outbox-relay.service';
import { OutboxRepository } from './outbox/outbox.repository';
import { DatabaseLifecycle } from './persistence/database.lifecycle';
import { InboxDatabase } from './persistence/inbox-database';
import { INBOX_DATABASE } from './persistence/persistence.tokens';
import { AssignmentRepository } from './routing/assignment.repository';
import { AssignmentService } from './routing/assignment.service';
import { ROUTING_OPTIONS, type RoutingOptions } from './routing/routing-options';
import { RoutingScheduler } from './routing/routing-scheduler.service';
import { ROUTING_TRIGGER } from './routing/routing-trigger';
import { ActorScopeRepository } from './http/actor-scope.repository';
import { ActorScopeService } from './http/actor-scope.service';
import { ConversationCommandsService } from './conversations/conversation-commands.service';
import { ConversationQueriesService } from './conversations/conversation-queries.service';
import { ConversationQueryRepository } from './conversations/conversation-query.repository';
import { ConversationsController } from './conversations/conversations.controller';
import { MessageRepository } from './messages/message.repository';
import { MessageSendingService } from './messages/message-sending.service';
import { AuditLogController } from './audit/audit-log.controller';
import { AuditLogRepository } from './audit/audit-log.repository';
import { PasswordHasher } from './auth-store/password-hasher';
import { InboxRepository } from './inboxes/inbox.repository';
import { InboxesController } from './inboxes/inboxes.controller';
import { InboxesService } from './inboxes/inboxes.service';
import { MeController } from './operators/me.controller';
import { OperatorRepository } from './operators/operator.repository';
import { OperatorsController } from './operators/operators.controller';
import { OperatorsService } from './operators/operators.service';
import { TeamRepository } from './teams/team.repository';
import { TeamsController } from './teams/teams.controller';
import { TeamsService } from './teams/teams.service';
import { BotRepository } from './bots/bot.repository';
import { InboxMetrics } from './metrics/inbox-metrics.service';
import { BotsController } from './bots/bots.controller';
import { BotsService } from './bots/bots.service';
import { BotWebhooksFeature } from './bots/bot-webhooks.feature';
import { ConversationHandoff } from './conversations/conversation-handoff';
import { CannedResponsesFeature } from './canned-responses/canned-responses.feature';
import { ContactsFeature } from './contacts/contacts.feature';
import { ReportsFeature } from './reports/reports.feature';

/** The topics the inbox consumes or produces to, created at boot when missing. */
const INBOX_TOPICS = [Topics.inbound, Topics.delivery, Topics.events, Topics.channels, Topics.dlq];

/**
 * The inbox domain: Postgres (migrated at boot under a lock), the bus, ingestion, delivery receipts,
 * the outbox relay, routing, and the internal HTTP API.
 */
@Module({})
export class InboxDomainModule {
  static forRoot(options: InboxDomainOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: INBOX_DOMAIN_OPTIONS, useValue: options },
      {
        provide: INBOX_DATABASE,
        useFactory: async (): Promise<InboxDatabase> => {
          const db = await InboxDatabase.open({ url: options.databaseUrl, poolSize: options.databasePoolSize });
          await db.migrate();
          return db;
        },
      },
      { provide: DatabaseLifecycle, useFactory: (db: InboxDatabase) => new DatabaseLifecycle(db), inject: [INBOX_DATABASE] },
      {
        provide: MESSAGE_BUS,
        useFactory: async (): Promise<MessageBus> => {
          const bus =
            options.bus.kind === 'instance'
              ? options.bus.bus
              : new KafkaBus({
                  brokers: options.bus.brokers,
                  clientId: options.instanceName ?? 'inbox',
                  topicPrefix: options.bus.topicPrefix,
                  defaultPartitions: options.bus.partitions,
                });
          await bus.ensureTopics(INBOX_TOPICS.map((topic) => ({ topic, compacted: CompactedTopics.includes(topic) })));
          return bus;
        },
      },
      { provide: InboxBusLifecycle, useFactory: (bus: MessageBus) => new InboxBusLifecycle(bus, options.bus.kind === 'kafka'), inject: [MESSAGE_BUS] },
      { provide: ReplyTokenSigner, useValue: new ReplyTokenSigner(options.secretsKey) },
      { provide: SecretBox, useValue: new SecretBox(options.secretsKey) },
      { provide: ROUTING_OPTIONS, useValue: { sweepIntervalMs: options.routingSweepMs, workers: options.routingWorkers } satisfies RoutingOptions },
      {
        provide: OUTBOX_RELAY_OPTIONS,
        useValue: {
          databaseUrl: options.databaseUrl,
          pollIntervalMs: options.relayPollMs,
          thread:
            options.bus.kind === 'kafka'
              ? { brokers: options.bus.brokers, clientId: `${options.instanceName ?? 'inbox'}-relay`, topicPrefix: options.bus.topicPrefix, defaultPartitions: options.bus.partitions }
              : undefined,
        } satisfies OutboxRelayOptions,
      },
      ConversationEventRepository,
      ConversationRepository,
      OutboxRepository,
      OutboxRelay,
      InboxDirectory,
      IngestionRepository,
      IngestionService,
      InboundConsumer,
      DeliveryRepository,
      DeliveryService,
      DeliveryConsumer,
      AssignmentRepository,
      AssignmentService,
      RoutingScheduler,
      { provide: ROUTING_TRIGGER, useExisting: RoutingScheduler },
      ActorScopeRepository,
      ActorScopeService,
      ConversationQueryRepository,
      ConversationQueriesService,
      ConversationCommandsService,
      ConversationHandoff,
      MessageRepository,
      MessageSendingService,
      AuditLogRepository,
      { provide: PasswordHasher, useValue: new PasswordHasher() },
      OperatorRepository,
      OperatorsService,
      TeamRepository,
      TeamsService,
      InboxRepository,
      InboxesService,
      BotRepository,
      BotsService,
      InboxMetrics,
      ...ContactsFeature.providers, ...CannedResponsesFeature.providers, ...ReportsFeature.providers,
      ...BotWebhooksFeature.providers,
    ];
    return {
      module: InboxDomainModule,
      controllers: [ConversationsController, OperatorsController, MeController, TeamsController, InboxesController, AuditLogController, BotsController, ...ContactsFeature.controllers, ...CannedResponsesFeature.controllers, ...ReportsFeature.controllers],
      providers,
      exports: [INBOX_DATABASE, MESSAGE_BUS, IngestionService, AssignmentService, RoutingScheduler, OutboxRelay],
    };
  }
}
