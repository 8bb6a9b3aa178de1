import { OnModuleDestroy } from '@nestjs/common';
import { Admin, Kafka, logLevel } from 'kafkajs';
import type { MessageBus } from '../bus/bus.port';
import { ReadinessCheck } from './readiness-check';

/** Kafka answers, asked through the service's bus (`bus.ping()`). */
export function busReadinessCheck(bus: Pick<MessageBus, 'ping'>, name = 'kafka'): ReadinessCheck {
  return { name, check: () => bus.ping() };
}

/**
 * Kafka answers a metadata request, asked with a kafkajs admin client of its own. For services
 * that have no bus (yet); where there is one, busReadinessCheck says the same thing.
 */
export class KafkaAdminReadinessCheck implements ReadinessCheck, OnModuleDestroy {
  readonly name: string;
  private admin?: Admin;
  private readonly kafka: Kafka;

  constructor(brokers: string[], clientId: string, name = 'kafka') {
    this.name = name;
    this.kafka = new Kafka({
      clientId: `${clientId}-readiness`,
      brokers,
      connectionTimeout: 2000,
      requestTimeout: 2500,
      retry: { retries: 0 },
      logLevel: logLevel.NOTHING,
    });
  }

  async check(): Promise<void> {
    try {
      if (!this.admin) {
        this.admin = this.kafka.admin();
        await this.admin.connect();
      }
      const cluster = await this.admin.describeCluster();
      if (cluster.brokers.length === 0) throw new Error('no brokers in the cluster metadata');
    } catch (error) {
      await this.reset();
      throw error;
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.reset();
  }

  private async reset(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    await admin?.disconnect().catch(() => undefined);
  }
}
