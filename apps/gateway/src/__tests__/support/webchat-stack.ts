import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { loadConfig, SecretBox } from '@switchboard/common';
import { KafkaBus } from '@switchboard/common/bus/kafka/kafka-bus';
import { newId } from '@switchboard/common/ids';
import {
  createTestDatabase,
  kafkaBrokers,
  startService,
  uniqueName,
  type RunningService,
  type TestDatabase,
} from '@switchboard/testing';
import request from 'supertest';
import { InboxAppModule } from '../../../../inbox/src/app.module';
import { AuthStoreModule } from '../../../../inbox/src/auth-store/auth-store.module';
import { PasswordHasher } from '../../../../inbox/src/auth-store/password-hasher';
import { inboxConfigSchema } from '../../../../inbox/src/inbox.config';
import { InboxDatabase } from '../../../../inbox/src/persistence/inbox-database';
import { publishWebchatChannel } from './webchat-channel';
import { gatewayTestConfig, type RunningGateway, startGateway } from './gateway-harness';
import { eventually, untilReady } from './socket-client';

export interface StackOperator {
  email: string;
  name: string;
  role?: 'admin' | 'supervisor' | 'operator';
  /** a member of the web chat inbox (default true) */
  member?: boolean;
  languages?: string[];
  /** default online */
  availability?: 'online' | 'away' | 'offline';
  capacity?: number;
}

export interface WebchatStackOptions {
  /** names the Kafka topic prefix (made unique) */
  name: string;
  /** origins the web chat inbox accepts */
  allowedOrigins: string[];
  /** everyone's password */
  password: string;
  operators: StackOperator[];
  /** the inbox's identity-verification secret, if any */
  identitySecret?: string;
  /** extra environment for the inbox service (e.g. bot webhook retry settings) */
  inboxEnv?: Record<string, string>;
}

/**
 * The real inbox service and the real gateway on real Kafka and a fresh Postgres database, with one
 * web chat inbox and its operators (rows written straight into the inbox's database) — the set-up the
 * end-to-end tests share.
 */
export class WebchatStack {
  /** operator id by e-mail */
  readonly operatorIds = new Map<string, string>();

  private constructor(
    readonly options: WebchatStackOptions,
    readonly inboxId: string,
    readonly inboxKey: string,
    readonly database: TestDatabase,
    readonly inboxService: RunningService,
    readonly db: InboxDatabase,
    readonly bus: KafkaBus,
    readonly gateway: RunningGateway,
  ) {}

  get url(): string {
    return this.gateway.url;
  }

  static async start(options: WebchatStackOptions): Promise<WebchatStack> {
    const prefix = `${uniqueName(options.name)}.`;
    const secretsKey = randomBytes(32);
    const internalToken = randomBytes(24).toString('hex');
    const inboxKey = `pk_${randomBytes(6).toString('hex')}`;
    const cleanup: Array<() => Promise<void>> = [];
    try {
      const database = await createTestDatabase();
      cleanup.push(() => database.drop());
      const inboxConfig = loadConfig(inboxConfigSchema, {
        PORT: '0',
        LOG_LEVEL: 'warn',
        KAFKA_BROKERS: kafkaBrokers().join(','),
        KAFKA_TOPIC_PREFIX: prefix,
        DATABASE_URL: database.url,
        SECRETS_KEY: secretsKey.toString('base64'),
        INTERNAL_API_TOKEN: internalToken,
        ROUTING_SWEEP_MS: '1000',
        OUTBOX_POLL_MS: '200',
        BOT_WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
        ...options.inboxEnv,
      });
      @Module({ imports: [InboxAppModule.forRoot(inboxConfig), AuthStoreModule] })
      class InboxRoot {}
      const inboxService = await startService({ module: InboxRoot });
      cleanup.push(() => inboxService.close());
      const db = await InboxDatabase.open({ url: database.url, poolSize: 2 });
      cleanup.push(() => db.close());

      const inboxId = newId();
      const settings = { allowedOrigins: options.allowedOrigins };
      const hash = await new PasswordHasher().hash(options.password);
      const operatorIds = new Map<string, string>();
      await db.run(async (sql) => {
        await sql.exec(
          `INSERT INTO inboxes (id, channel_type, name, settings, public_key) VALUES ($1, 'webchat', 'Shop chat', $2, $3)`,
          [inboxId, JSON.stringify(settings), inboxKey],
        );
        for (const operator of options.operators) {
          const id = newId();
          operatorIds.set(operator.email, id);
          await sql.exec(
            `INSERT INTO operators (id, email, name, role, password_hash, availability, capacity, languages)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
            [
              id,
              operator.email,
              operator.name,
              operator.role ?? 'operator',
              hash,
              operator.availability ?? 'online',
              operator.capacity ?? 5,
              operator.languages ?? [],
            ],
          );
          if (operator.member ?? true)
            await sql.exec(`INSERT INTO inbox_members (inbox_id, operator_id) VALUES ($1, $2)`, [
              inboxId,
              id,
            ]);
        }
      });

      // the channel config the inbox publishes for a web chat inbox (its settings do not carry the
      // public key: the gateway looks the widget's inboxKey up in the inbox)
      const bus = new KafkaBus({ brokers: kafkaBrokers(), clientId: options.name, topicPrefix: prefix });
      cleanup.push(() => bus.close());
      await publishWebchatChannel(
        bus,
        inboxId,
        settings,
        options.identitySecret
          ? { identitySecret: new SecretBox(secretsKey).encrypt(options.identitySecret) }
          : {},
      );

      const gateway = await startGateway(
        gatewayTestConfig({
          INBOX_URL: inboxService.url,
          INTERNAL_API_TOKEN: internalToken,
          KAFKA_TOPIC_PREFIX: prefix,
          SECRETS_KEY: secretsKey.toString('base64'),
          BLOB_DIR: mkdtempSync(join(tmpdir(), 'e2e-blobs-')),
        }),
      );
      cleanup.push(() => gateway.close());
      await untilReady(gateway.url);
      await eventually(
        async () =>
          (
            await request(gateway.url)
              .get(`/webchat/v1/config?inboxKey=${inboxKey}`)
              .set('Origin', options.allowedOrigins[0])
          ).status === 200,
        60_000,
        'the web chat inbox to be served',
      );
      const stack = new WebchatStack(options, inboxId, inboxKey, database, inboxService, db, bus, gateway);
      for (const [email, id] of operatorIds) stack.operatorIds.set(email, id);
      return stack;
    } catch (error) {
      for (const close of cleanup.reverse()) await close().catch(() => undefined);
      throw error;
    }
  }

  operatorId(email: string): string {
    const id = this.operatorIds.get(email);
    if (!id) throw new Error(`no operator ${email} in this stack`);
    return id;
  }

  /** logs in through the gateway; answers the access token */
  async login(email: string): Promise<string> {
    const response = await request(this.gateway.url)
      .post('/api/v1/auth/login')
      .send({ email, password: this.options.password })
      .expect(200);
    return response.body.accessToken as string;
  }

  /** gateway first (it calls the inbox), then the inbox, the bus, the database */
  async close(): Promise<void> {
    await this.gateway.close();
    await this.inboxService.close();
    await this.bus.close();
    await this.db.close();
    await this.database.drop();
  }
}
