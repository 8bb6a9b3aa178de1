import '../../../libs/common/src/nest/module-aliases'; // first: resolves @switchboard/* at run time
import { bootstrapService, loadConfig } from '@switchboard/common';
import { GatewayAppModule } from './app.module';
import { gatewayConfigSchema } from './gateway.config';
import { configureGateway } from './gateway.setup';

void bootstrapService({
  name: 'gateway',
  configSchema: gatewayConfigSchema,
  module: (config) => GatewayAppModule.forRoot(config),
  // bootstrapService validated the environment already; this only reads it again for the set-up
  configure: (app) => configureGateway(loadConfig(gatewayConfigSchema))(app),
});
