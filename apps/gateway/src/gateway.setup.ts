import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { GatewayConfig } from './gateway.config';

/**
 * What the gateway needs on the app itself (main.ts and the tests call it before init):
 * `trust proxy` when behind one, and the OpenAPI document at /api/docs (JSON at /api/docs-json),
 * generated from the controllers, their zod schemas and roles.
 */
export function configureGateway(config: GatewayConfig): (app: INestApplication) => void {
  return (app) => {
    const express = app as NestExpressApplication;
    if (config.TRUST_PROXY) express.set('trust proxy', true);
    express.disable('x-powered-by');
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Switchboard API')
        .setDescription(
          'The public REST API of the Switchboard gateway (API.md). Errors: {"error":{"code","message","details"}}. ' +
            'Realtime: Socket.IO at /ws (auth {token}); web chat: /webchat/v1/* and /widget.js.',
        )
        .setVersion('1')
        .addBearerAuth({
          type: 'http',
          scheme: 'bearer',
          description: "An operator's access token or a bot token",
        })
        .build(),
    );
    SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  };
}
