import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, FsBlobStore } from '@switchboard/common';
import type { GatewayConfig } from '../gateway.config';

/** Injection token of the gateway's BlobStore (BLOB_DIR; the connectors' store for attachments). */
export const GATEWAY_BLOBS = Symbol('GATEWAY_BLOBS');

@Global()
@Module({
  providers: [
    {
      provide: GATEWAY_BLOBS,
      inject: [APP_CONFIG],
      useFactory: (config: GatewayConfig) => new FsBlobStore(config.BLOB_DIR),
    },
  ],
  exports: [GATEWAY_BLOBS],
})
export class BlobStoreModule {}
