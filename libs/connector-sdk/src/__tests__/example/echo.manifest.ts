import type { ConnectorManifest } from '../../manifest';
import { EchoSettings, echoSettingsSchema } from './echo-payload';

export const echoManifest: ConnectorManifest<EchoSettings> = {
  id: 'echo',
  channelType: 'echo',
  displayName: 'Echo (test channel)',
  capabilities: ['text', 'attachments', 'typing', 'reply-to'],
  settingsSchema: echoSettingsSchema,
  secretNames: ['apiToken'],
  limits: { maxAttachmentBytes: 1024 * 1024 },
};
