import { DynamicModule, Inject, InjectionToken, Module, ModuleMetadata, OnApplicationShutdown, OptionalFactoryDependency, Provider } from '@nestjs/common';
import { MessageBus } from '../bus.port';
import { createMessageBus, MessageBusOptions } from '../create-message-bus';
import { BUS_MODULE_OPTIONS, MESSAGE_BUS } from './bus.constants';

export interface BusModuleOptions extends MessageBusOptions {
  /** register MESSAGE_BUS for every module (default true) */
  global?: boolean;
}

export interface BusModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  inject?: Array<InjectionToken | OptionalFactoryDependency>;
  useFactory: (...args: never[]) => MessageBusOptions | Promise<MessageBusOptions>;
  global?: boolean;
}

const busProvider: Provider = {
  provide: MESSAGE_BUS,
  inject: [BUS_MODULE_OPTIONS],
  useFactory: (options: MessageBusOptions) => createMessageBus(options),
};

/**
 * Provides the MessageBus under MESSAGE_BUS — Kafka when brokers are configured, the in-process bus
 * otherwise — and closes it when the application shuts down.
 */
@Module({})
export class BusModule implements OnApplicationShutdown {
  constructor(@Inject(MESSAGE_BUS) private readonly bus: MessageBus) {}

  static forRoot(options: BusModuleOptions): DynamicModule {
    return {
      module: BusModule,
      global: options.global ?? true,
      providers: [{ provide: BUS_MODULE_OPTIONS, useValue: options }, busProvider],
      exports: [MESSAGE_BUS],
    };
  }

  static forRootAsync(options: BusModuleAsyncOptions): DynamicModule {
    return {
      module: BusModule,
      global: options.global ?? true,
      imports: options.imports ?? [],
      providers: [{ provide: BUS_MODULE_OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory }, busProvider],
      exports: [MESSAGE_BUS],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.bus.close();
  }
}
