import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { MessageBus } from '@switchboard/common';
import { KafkaBus } from '@switchboard/common/bus/kafka/kafka-bus';
import type { GatewayConfig } from '../gateway.config';
import { GATEWAY_BUS, GATEWAY_INSTANCE_ID } from './bus.tokens';

/** Closes the bus last (after the consumers stopped). */
@Injectable()
class GatewayBusLifecycle implements OnApplicationShutdown {
  constructor(@Inject(GATEWAY_BUS) private readonly bus: MessageBus) {}

  async onApplicationShutdown(): Promise<void> {
    await this.bus.close();
  }
}

/** The gateway's bus (Kafka) and instance id, for every module. */
@Global()
@Module({})
export class GatewayBusModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    const instanceId =
      config.GATEWAY_INSTANCE_ID ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    return {
      module: GatewayBusModule,
      global: true,
      providers: [
        { provide: GATEWAY_INSTANCE_ID, useValue: instanceId.replace(/[^A-Za-z0-9._-]/g, '-') },
        {
          provide: GATEWAY_BUS,
          useFactory: (): MessageBus =>
            new KafkaBus({
              brokers: config.KAFKA_BROKERS,
              clientId: 'gateway',
              topicPrefix: config.KAFKA_TOPIC_PREFIX,
              defaultPartitions: config.KAFKA_PARTITIONS,
            }),
        },
        GatewayBusLifecycle,
      ],
      exports: [GATEWAY_BUS, GATEWAY_INSTANCE_ID],
    };
  }
}
