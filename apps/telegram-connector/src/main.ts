import '../../../libs/common/src/nest/module-aliases'; // first: resolves @switchboard/* at run time
import { bootstrapService } from '@switchboard/common';
import { TelegramConnectorAppModule } from './app.module';
import { telegramConnectorConfigSchema } from './telegram-connector.config';

void bootstrapService({
  name: 'telegram-connector',
  configSchema: telegramConnectorConfigSchema,
  module: (config) => TelegramConnectorAppModule.forRoot(config),
});
