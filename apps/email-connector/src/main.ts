import '../../../libs/common/src/nest/module-aliases'; // first: resolves @switchboard/* at run time
import { bootstrapService } from '@switchboard/common';
import { EmailConnectorAppModule } from './app.module';
import { emailConnectorConfigSchema } from './email-connector.config';

void bootstrapService({
  name: 'email-connector',
  configSchema: emailConnectorConfigSchema,
  module: (config) => EmailConnectorAppModule.forRoot(config),
});
