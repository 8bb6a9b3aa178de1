import { Module } from '@nestjs/common';
import { APP_CONFIG } from '@switchboard/common';
import type { GatewayConfig } from '../gateway.config';
import { PublicFiles } from './public-files';
import { PUBLIC_FILES, StaticController } from './static.controller';

@Module({
  controllers: [StaticController],
  providers: [
    {
      provide: PUBLIC_FILES,
      inject: [APP_CONFIG],
      useFactory: (config: GatewayConfig) => new PublicFiles(config.GATEWAY_PUBLIC_DIR),
    },
  ],
})
export class StaticModule {}
