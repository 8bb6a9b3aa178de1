import { DynamicModule, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { AppConfigModule, HealthModule, KafkaAdminReadinessCheck, LoggingModule } from '@switchboard/common';
import { ApiModule } from './api/api.module';
import { AuthModule } from './auth/auth.module';
import { BlobStoreModule } from './blobs/blob-store.module';
import { GatewayBusModule } from './bus/gateway-bus.module';
import { GatewayConfig } from './gateway.config';
import { RealtimeModule } from './realtime/realtime.module';
import { StaticModule } from './static/static.module';
import { WebchatModule } from './webchat/webchat.module';
import { SecurityHeadersMiddleware } from './security/security-headers.middleware';

/** The gateway service. Build it with forRoot(config); main.ts adds configureGateway (API docs). */
@Module({})
export class GatewayAppModule implements NestModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayAppModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggingModule.forRoot({ service: 'gateway', level: config.LOG_LEVEL }),
        HealthModule.forRoot({
          checks: [new KafkaAdminReadinessCheck(config.KAFKA_BROKERS, 'gateway')],
        }),
        GatewayBusModule.forRoot(config),
        BlobStoreModule,
        AuthModule,
        ApiModule,
        RealtimeModule,
        WebchatModule,
        StaticModule,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(SecurityHeadersMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
