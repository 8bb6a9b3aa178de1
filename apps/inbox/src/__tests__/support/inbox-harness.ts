import { randomBytes } from 'node:crypto';
import {
  INBOUND_MESSAGE_TYPE,
  loadConfig,
  newEvent,
  Topics,
  type BusMessage,
  type CloudEvent,
  type InboundMessageInput,
  type Subscription,
} from '@switchboard/common';
import { KafkaBus } from '@switchboard/common/bus/kafka/kafka-bus';
import { newId } from '@switchboard/common/ids';
import { createTestDatabase, kafkaBrokers, startService, uniqueName, type RunningService, type TestDatabase } from '@switchboard/testing';
import { InboxAppModule } from '../../app.module';
import { inboxConfigSchema } from '../../inbox.config';
import { InboxDatabase } from '../../persistence/inbox-database';

export const INTERNAL_TOKEN = 'internal-test-token-0123456789';

export interface InboxHarness {
  /** one or more inbox instances on the same database and topics */
  instances: RunningService[];
  url: string;
  env: Record<string, string>;
  secretsKey: Buffer;
  /** a separate pool for assertions and seeding */
  db: InboxDatabase;
  /** the test's own bus (same prefix) to publish inbound records and watch events */
  bus: KafkaBus;
  database: TestDatabase;
  startInstance(): Promise<RunningService>;
  close(): Promise<void>;
}

/** Boots `instances` inbox services (the real InboxAppModule) on a fresh database and topic prefix. */
export async function startInboxHarness(options: { instances?: number; env?: Record<string, string> } = {}): Promise<InboxHarness> {
  const database = await createTestDatabase();
  const prefix = uniqueName('inbox-test');
  const secretsKey = randomBytes(32);
  const env: Record<string, string> = {
    PORT: '0',
    LOG_LEVEL: 'warn',
    KAFKA_BROKERS: kafkaBrokers().join(','),
    KAFKA_TOPIC_PREFIX: `${prefix}.`,
    DATABASE_URL: database.url,
    SECRETS_KEY: secretsKey.toString('base64'),
    INTERNAL_API_TOKEN: INTERNAL_TOKEN,
    ROUTING_SWEEP_MS: '1000',
    OUTBOX_POLL_MS: '200',
    // the tests' bot webhooks listen on 127.0.0.1
    BOT_WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    ...options.env,
  };
  const config = loadConfig(inboxConfigSchema, env);
  const instances: RunningService[] = [];
  const startInstance = async (): Promise<RunningService> => {
    const service = await startService(InboxAppModule.forRoot(config));
    instances.push(service);
    return service;
  };
  for (let index = 0; index < (options.instances ?? 1); index += 1) await startInstance();
  const db = await InboxDatabase.open({ url: database.url, poolSize: 4 });
  const bus = new KafkaBus({ brokers: kafkaBrokers(), clientId: 'inbox-test', topicPrefix: `${prefix}.`, defaultPartitions: 6 });
  return {
    instances,
    get url() {
      return instances[0].url;
    },
    env,
    secretsKey,
    db,
    bus,
    database,
    startInstance,
    async close() {
      for (const instance of instances) await instance.close().catch(() => undefined);
      await bus.close().catch(() => undefined);
      await db.close().catch(() => undefined);
      await database.drop().catch(() => undefined);
    },
  };
}

/** An inbound message event with defaults filled in. */
export function inboundEvent(input: Partial<InboundMessageInput> & { inboxId: string; channelType: string; sender: InboundMessageInput['sender'] }): CloudEvent<InboundMessageInput> {
  const now = new Date().toISOString();
  const externalId = input.externalId ?? `ext-${newId()}`;
  return newEvent(INBOUND_MESSAGE_TYPE, 'test', {
    externalId,
    threadKey: input.threadKey ?? externalId,
    sentAt: now,
    receivedAt: now,
    text: 'hello',
    ...input,
  });
}

export async function publishInbound(bus: KafkaBus, events: ReadonlyArray<CloudEvent<InboundMessageInput>>): Promise<void> {
  await bus.publish(
    Topics.inbound,
    events.map((event) => ({ key: `${event.data.inboxId}:${event.data.threadKey}`, value: JSON.stringify(event) })),
  );
}

/** collects every record of a topic from the beginning */
export class TopicRecorder {
  readonly records: Array<{ key: string; event: CloudEvent<Record<string, unknown>>; partition: number; offset: string }> = [];
  private subscription: Subscription | null = null;

  async start(bus: KafkaBus, topic: string): Promise<this> {
    this.subscription = await bus.subscribe({
      groupId: uniqueName('recorder'),
      topics: [topic],
      dlqTopic: topic === Topics.dlq ? `${Topics.dlq}.recorder` : undefined,
      fromBeginning: true,
      eachMessage: async (message: BusMessage) => {
        this.records.push({ key: message.key, event: JSON.parse(message.value.toString('utf8')), partition: message.partition, offset: message.offset });
      },
    });
    return this;
  }

  ofType(type: string): Array<CloudEvent<Record<string, unknown>>> {
    return this.records.filter((record) => record.event.type === type).map((record) => record.event);
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
  }
}

/** polls until `check` returns a value that is not undefined/false, or fails after `timeoutMs` */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 30_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface SeedInboxOptions {
  channelType?: string;
  name?: string;
  sticky?: boolean;
  newConversationAfterDays?: number | null;
  unansweredTimeoutSeconds?: number | null;
  routingPolicy?: string;
  defaultTeamId?: string | null;
  settings?: Record<string, unknown>;
}

/** inserts an inbox directly (tests that are not about the admin API) */
export async function seedInbox(db: InboxDatabase, options: SeedInboxOptions = {}): Promise<string> {
  const id = newId();
  await db.run((sql) =>
    sql.exec(
      `INSERT INTO inboxes (id, channel_type, name, settings, sticky, new_conversation_after_days, unanswered_timeout_seconds, routing_policy, default_team_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        id,
        options.channelType ?? 'telegram',
        options.name ?? 'Test inbox',
        JSON.stringify(options.settings ?? {}),
        options.sticky ?? true,
        options.newConversationAfterDays ?? null,
        options.unansweredTimeoutSeconds ?? null,
        options.routingPolicy ?? 'balanced',
        options.defaultTeamId ?? null,
      ],
    ),
  );
  return id;
}

export async function seedOperator(
  db: InboxDatabase,
  options: { name?: string; capacity?: number; availability?: string; skills?: string[]; languages?: string[]; role?: string } = {},
): Promise<string> {
  const id = newId();
  await db.run((sql) =>
    sql.exec(
      `INSERT INTO operators (id, email, name, role, capacity, availability, skills, languages) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        id,
        `${id}@example.test`,
        options.name ?? `Operator ${id.slice(-4)}`,
        options.role ?? 'operator',
        options.capacity ?? 3,
        options.availability ?? 'online',
        options.skills ?? [],
        options.languages ?? [],
      ],
    ),
  );
  return id;
}
