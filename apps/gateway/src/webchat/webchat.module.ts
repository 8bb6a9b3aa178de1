import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { ReadinessRegistry } from '@switchboard/common';
import { AuthModule } from '../auth/auth.module';
import { GATEWAY_BLOBS } from '../blobs/blob-store.module';
import { InboxClientModule } from '../inbox-client/inbox-client.module';
import { RealtimeModule } from '../realtime/realtime.module';
import { ConversationThreads } from './conversation-threads.service';
import { FanoutVisitorChannel } from './fanout-visitor.channel';
import { InboxKeys } from './inbox-keys.service';
import { OperatorTypingRelay } from './operator-typing.relay';
import { VisitorFiles } from './visitor-files.service';
import { VisitorSocketGateway } from './visitor-socket.gateway';
import { VisitorTokenService } from './visitor-token.service';
import { VisitorGuard } from './visitor.guard';
import { WebchatConnectorRuntime } from './webchat-connector.runtime';
import { WebchatCorsMiddleware } from './webchat-cors.middleware';
import { WebchatInboxRegistry } from './webchat-inbox.registry';
import { WebchatRateLimitGuard } from './webchat-rate-limit.guard';
import { WebchatController } from './webchat.controller';
import { WebchatConnector } from './webchat.connector';
import { WebchatService } from './webchat.service';
import { WEBCHAT_BLOBS } from './webchat.tokens';

/** The web chat channel inside the gateway: the connector in its host, the public endpoints, visitors' sockets. */
@Module({
  imports: [AuthModule, InboxClientModule, RealtimeModule],
  controllers: [WebchatController],
  providers: [
    { provide: WEBCHAT_BLOBS, useExisting: GATEWAY_BLOBS },
    { provide: WebchatInboxRegistry, useFactory: () => new WebchatInboxRegistry() },
    VisitorTokenService,
    VisitorFiles,
    FanoutVisitorChannel,
    ConversationThreads,
    InboxKeys,
    {
      provide: WebchatConnector,
      inject: [WebchatInboxRegistry, FanoutVisitorChannel],
      useFactory: (registry: WebchatInboxRegistry, visitors: FanoutVisitorChannel) =>
        new WebchatConnector(registry, visitors),
    },
    WebchatConnectorRuntime,
    WebchatService,
    VisitorGuard,
    WebchatRateLimitGuard,
    VisitorSocketGateway,
    OperatorTypingRelay,
  ],
  exports: [WebchatConnectorRuntime, WebchatInboxRegistry],
})
export class WebchatModule implements NestModule {
  constructor(readiness: ReadinessRegistry, runtime: WebchatConnectorRuntime) {
    readiness.register({ name: 'webchat', check: async () => runtime.ready });
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(WebchatCorsMiddleware)
      .forRoutes({ path: 'webchat/v1/{*path}', method: RequestMethod.ALL });
  }
}
