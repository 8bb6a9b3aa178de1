import { Module } from '@nestjs/common';
import { APP_CONFIG, ReadinessRegistry } from '@switchboard/common';
import { AuthModule } from '../auth/auth.module';
import type { GatewayConfig } from '../gateway.config';
import { InboxClientModule } from '../inbox-client/inbox-client.module';
import { ActorScopeService } from './actor-scope.service';
import { ClusterFanout } from './cluster-fanout.service';
import { ConversationAccess } from './conversation-access.service';
import { ConversationEventsConsumer } from './conversation-events.consumer';
import { OperatorSocketGateway } from './operator-socket.gateway';
import { ReplayBuffer } from './replay-buffer';

/** Operators' realtime: /ws, inbox.events.v1 fan-out, presence, replay; the cross-instance fan-out. */
@Module({
  imports: [AuthModule, InboxClientModule],
  providers: [
    {
      provide: ReplayBuffer,
      inject: [APP_CONFIG],
      useFactory: (config: GatewayConfig) => new ReplayBuffer(config.REPLAY_BUFFER_SIZE),
    },
    ActorScopeService,
    ConversationAccess,
    ClusterFanout,
    OperatorSocketGateway,
    ConversationEventsConsumer,
  ],
  exports: [ClusterFanout, ActorScopeService, ConversationAccess],
})
export class RealtimeModule {
  constructor(readiness: ReadinessRegistry, events: ConversationEventsConsumer, fanout: ClusterFanout) {
    readiness.register({
      name: 'realtime',
      check: async () => events.subscription.ready && fanout.subscription.ready,
    });
  }
}
