import { DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { FsBlobStore, SecretBox } from '@switchboard/common';
import { KafkaBus } from '@switchboard/common/bus/kafka/kafka-bus';
import { ConnectorHostModule, PinoConnectorLogger } from '@switchboard/connector-sdk';
import type { EmailConnectorConfig } from '../email-connector.config';
import { EMAIL_BUS, EmailBusCloser } from './email-bus.closer';
import { EmailImapConnector } from './email-imap.connector';
import type { EmailSettings } from './email-settings.schema';

/**
 * The email channel: EmailImapConnector in the SDK's ConnectorHostModule on Kafka. Every email
 * inbox on inbox.channels.v1 gets an IMAP session (added / changed / removed live); outbound
 * messages from channel.email.outbound.v1 are sent over SMTP and answered with receipts. The host
 * starts in the background (retried while Kafka is not there); /readyz names it
 * `connector-email-imap`.
 */
@Module({})
export class EmailModule {
  static forRoot(config: EmailConnectorConfig, logger: Logger): DynamicModule {
    const bus = new KafkaBus({
      brokers: config.KAFKA_BROKERS,
      clientId: 'email-connector',
      topicPrefix: config.KAFKA_TOPIC_PREFIX,
      defaultPartitions: config.KAFKA_PARTITIONS,
      logger: logger.child({ context: 'KafkaBus' }),
    });
    const secrets = new SecretBox(config.SECRETS_KEY);
    return {
      module: EmailModule,
      imports: [
        ConnectorHostModule.forRoot<EmailSettings>({
          connector: new EmailImapConnector({ batchSize: config.EMAIL_BATCH_SIZE, pollIntervalMs: config.EMAIL_POLL_INTERVAL_SECONDS * 1000 }),
          bus,
          blobs: new FsBlobStore(config.BLOB_DIR),
          decrypt: (secret) => secrets.decrypt(secret),
          logger: new PinoConnectorLogger(logger.child({ context: 'EmailImapConnector' })),
          ...(config.CONNECTOR_INSTANCE_ID ? { instanceId: config.CONNECTOR_INSTANCE_ID } : {}),
        }),
      ],
      providers: [{ provide: EMAIL_BUS, useValue: bus }, EmailBusCloser],
      exports: [ConnectorHostModule],
    };
  }
}
