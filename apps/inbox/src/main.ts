import '../../../libs/common/src/nest/module-aliases'; // first: resolves @switchboard/* at run time
import { bootstrapService } from '@switchboard/common';
import { InboxAppModule } from './app.module';
import { inboxConfigSchema } from './inbox.config';

void bootstrapService({
  name: 'inbox',
  configSchema: inboxConfigSchema,
  module: (config) => InboxAppModule.forRoot(config),
});
