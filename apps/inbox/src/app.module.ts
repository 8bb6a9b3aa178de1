import { DynamicModule, Module } from '@nestjs/common';
import {
  AppConfigModule,
  HealthModule,
  KafkaAdminReadinessCheck,
  LoggingModule,
  postgresReadinessCheck,
} from '@switchboard/common';
import { AuthStoreModule } from './auth-store/auth-store.module';
import { InboxDomainModule } from './inbox-domain.module';
import { InboxConfig, inboxDomainOptions } from './inbox.config';

/** The inbox service. Build it with forRoot(config); tests boot it with createServiceApp. */
@Module({})
export class InboxAppModule {
  static forRoot(config: InboxConfig): DynamicModule {
    return {
      module: InboxAppModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggingModule.forRoot({ service: 'inbox', level: config.LOG_LEVEL }),
        HealthModule.forRoot({
          checks: [
            postgresReadinessCheck(config.DATABASE_URL),
            new KafkaAdminReadinessCheck(config.KAFKA_BROKERS, 'inbox'),
          ],
        }),
        InboxDomainModule.forRoot(inboxDomainOptions(config)),
        AuthStoreModule,
      ],
    };
  }
}
