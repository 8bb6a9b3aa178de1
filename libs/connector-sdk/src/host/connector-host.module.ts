import { DynamicModule, InjectionToken, Module, ModuleMetadata } from '@nestjs/common';
import {
  CONNECTOR_HOST_OPTIONS,
  ConnectorHostModuleOptions,
  ConnectorHostService,
} from './connector-host.service';

export interface ConnectorHostModuleAsyncOptions<Settings = unknown> {
  /** modules exporting what `useFactory` injects (the bus, config, a SecretBox…) */
  imports?: ModuleMetadata['imports'];
  inject?: InjectionToken[];
  useFactory: (
    ...args: never[]
  ) => ConnectorHostModuleOptions<Settings> | Promise<ConnectorHostModuleOptions<Settings>>;
}

/**
 * A connector app in one import, next to BusModule (the app's MESSAGE_BUS):
 *
 *   imports: [
 *     BusModule.forRootAsync({ inject: [APP_CONFIG], useFactory: (config: SmsConfig) => busOptionsFrom(config) }),
 *     ConnectorHostModule.forRootAsync({
 *       inject: [APP_CONFIG],
 *       useFactory: (config: SmsConfig) => ({
 *         connector: new SmsConnector(),
 *         blobs: new FsBlobStore(config.BLOB_DIR),
 *         decrypt: (secret) => new SecretBox(config.SECRETS_KEY).decrypt(secret),
 *       }),
 *     }),
 *   ]
 *
 * (`bus` in the options overrides MESSAGE_BUS.) ConnectorHostService starts the host with the app
 * and stops it at shutdown; the bus stays its owner's to close.
 */
@Module({})
export class ConnectorHostModule {
  static forRoot<Settings>(options: ConnectorHostModuleOptions<Settings>): DynamicModule {
    return {
      module: ConnectorHostModule,
      providers: [{ provide: CONNECTOR_HOST_OPTIONS, useValue: options }, ConnectorHostService],
      exports: [ConnectorHostService],
    };
  }

  static forRootAsync<Settings>(options: ConnectorHostModuleAsyncOptions<Settings>): DynamicModule {
    return {
      module: ConnectorHostModule,
      imports: options.imports ?? [],
      providers: [
        { provide: CONNECTOR_HOST_OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory },
        ConnectorHostService,
      ],
      exports: [ConnectorHostService],
    };
  }
}
