import { DynamicModule, Module } from '@nestjs/common';
import { AppConfigModule, createLogger, HealthModule, KafkaAdminReadinessCheck, LoggingModule } from '@switchboard/common';
import { EmailModule } from './email/email.module';
import { EmailConnectorConfig } from './email-connector.config';

/** The email-connector service. Build it with forRoot(config); tests boot it with createServiceApp. */
@Module({})
export class EmailConnectorAppModule {
  static forRoot(config: EmailConnectorConfig): DynamicModule {
    const logger = createLogger({ service: 'email-connector', level: config.LOG_LEVEL });
    return {
      module: EmailConnectorAppModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggingModule.forRoot({ service: 'email-connector', level: config.LOG_LEVEL, logger }),
        HealthModule.forRoot({
          checks: [new KafkaAdminReadinessCheck(config.KAFKA_BROKERS, 'email-connector')],
        }),
        EmailModule.forRoot(config, logger),
      ],
    };
  }
}
