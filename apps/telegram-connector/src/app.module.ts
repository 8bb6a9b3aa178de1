import { DynamicModule, Module } from '@nestjs/common';
import { AppConfigModule, createLogger, HealthModule, KafkaAdminReadinessCheck, LoggingModule } from '@switchboard/common';
import { TelegramModule } from './telegram/telegram.module';
import { TelegramConnectorConfig } from './telegram-connector.config';

/** The telegram-connector service. Build it with forRoot(config); tests boot it with createServiceApp. */
@Module({})
export class TelegramConnectorAppModule {
  static forRoot(config: TelegramConnectorConfig): DynamicModule {
    const logger = createLogger({ service: 'telegram-connector', level: config.LOG_LEVEL });
    return {
      module: TelegramConnectorAppModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggingModule.forRoot({ service: 'telegram-connector', level: config.LOG_LEVEL, logger }),
        HealthModule.forRoot({
          checks: [new KafkaAdminReadinessCheck(config.KAFKA_BROKERS, 'telegram-connector')],
        }),
        TelegramModule.forRoot(config, logger),
      ],
    };
  }
}
