import {
  CHANNEL_CONFIG_TYPE,
  newEvent,
  Topics,
  type EncryptedSecret,
  type MessageBus,
} from '@switchboard/common';

/** Publishes a web chat inbox's channel configuration as the inbox service does (inbox.channels.v1). */
export async function publishWebchatChannel(
  bus: MessageBus,
  inboxId: string,
  settings: Record<string, unknown>,
  secrets: Record<string, EncryptedSecret> = {},
): Promise<void> {
  await bus.publish(Topics.channels, [
    {
      key: inboxId,
      value: newEvent(CHANNEL_CONFIG_TYPE, 'switchboard/inbox', {
        inboxId,
        channelType: 'webchat',
        name: 'Shop chat',
        enabled: true,
        deleted: false,
        version: 1,
        settings,
        secrets,
        updatedAt: new Date().toISOString(),
      }),
    },
  ]);
}
