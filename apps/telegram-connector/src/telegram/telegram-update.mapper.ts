import { z } from 'zod';
import type { Message, MessageEntity, Update, User } from 'grammy/types';
import type { BlobRef, BlobStore, InboundMessageEdited, InboundMessageInput } from '@switchboard/common';
import { ConnectorError } from '@switchboard/connector-sdk';
import type { TelegramFileFetcher, TelegramFileRef } from './telegram-file.fetcher';
import { entitiesToHtml } from './telegram-html';

/** What one Telegram update becomes. */
export type MappedUpdate =
  | { kind: 'message'; message: InboundMessageInput }
  | { kind: 'edit'; edit: InboundMessageEdited }
  | { kind: 'ignored'; reason: string };

export interface TelegramUpdateMapperOptions {
  inboxId: string;
  channelType: string;
  allowGroups: boolean;
  files: TelegramFileFetcher;
  now?: () => Date;
}

/** The part of an Update this connector reads; anything not matching is INVALID_PAYLOAD. */
const userShape = z.object({ id: z.number().int(), is_bot: z.boolean(), first_name: z.string() }).passthrough();
const messageShape = z
  .object({
    message_id: z.number().int().nonnegative(),
    date: z.number().int().nonnegative(),
    chat: z.object({ id: z.number().int(), type: z.enum(['private', 'group', 'supergroup', 'channel']) }).passthrough(),
    from: userShape.optional(),
    text: z.string().optional(),
    caption: z.string().optional(),
    edit_date: z.number().int().optional(),
  })
  .passthrough();
const updateShape = z
  .object({ update_id: z.number().int().nonnegative(), message: messageShape.optional(), edited_message: messageShape.optional() })
  .passthrough();

/** Message fields that are service notices, not something a customer wrote. */
const SERVICE_FIELDS = [
  'new_chat_members',
  'left_chat_member',
  'new_chat_title',
  'new_chat_photo',
  'delete_chat_photo',
  'group_chat_created',
  'supergroup_chat_created',
  'channel_chat_created',
  'message_auto_delete_timer_changed',
  'migrate_to_chat_id',
  'migrate_from_chat_id',
  'pinned_message',
  'write_access_allowed',
  'forum_topic_created',
  'forum_topic_edited',
  'forum_topic_closed',
  'forum_topic_reopened',
  'video_chat_started',
  'video_chat_ended',
  'video_chat_scheduled',
  'video_chat_participants_invited',
  'boost_added',
  'chat_background_set',
  'proximity_alert_triggered',
] as const;

function displayName(user: Pick<User, 'first_name' | 'last_name'>): string {
  return [user.first_name, user.last_name].filter((part) => part && part.trim().length > 0).join(' ');
}

function isoFromUnix(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

function extension(name: string | undefined): string {
  const match = /\.([A-Za-z0-9]{1,8})$/.exec(name ?? '');
  return match ? match[1].toLowerCase() : '';
}

/**
 * Turns one Telegram update into the inbound contract (pure apart from fetching files into the
 * BlobStore): externalId `<chat_id>:<message_id>`, threadKey = the chat id, the sender's profile
 * as identity, text with its entities rendered as safe HTML, every kind of media as an
 * attachment (or a refused one with the reason), locations and contacts as readable text plus
 * structured metadata, replies as references, edits as `edit`.
 */
export class TelegramUpdateMapper {
  private readonly now: () => Date;

  constructor(private readonly options: TelegramUpdateMapperOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async map(raw: unknown, blobs: BlobStore): Promise<MappedUpdate> {
    const parsed = updateShape.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ConnectorError('INVALID_PAYLOAD', `not a Telegram update: ${issue.path.join('.') || '(root)'} ${issue.message}`);
    }
    const update = raw as Update;
    if (update.message) return this.mapMessage(update.update_id, update.message, blobs);
    if (update.edited_message) return this.mapEdit(update.edited_message);
    const kind = Object.keys(update).find((key) => key !== 'update_id') ?? 'empty';
    return { kind: 'ignored', reason: `update of kind ${kind} is not served` };
  }

  private refuseChat(message: Message): string | undefined {
    if (message.chat.type === 'private') return undefined;
    if (message.chat.type === 'channel') return 'channel posts are not served';
    if (!this.options.allowGroups) return `${message.chat.type} chats are not served by this inbox (allowGroups is off)`;
    return undefined;
  }

  private async mapMessage(updateId: number, message: Message, blobs: BlobStore): Promise<MappedUpdate> {
    const refused = this.refuseChat(message);
    if (refused) return { kind: 'ignored', reason: refused };
    if (SERVICE_FIELDS.some((field) => field in message)) return { kind: 'ignored', reason: 'service message' };
    if (message.from?.is_bot && !message.sender_chat) return { kind: 'ignored', reason: 'message from a bot' };

    const chatId = String(message.chat.id);
    const content = await this.content(message, blobs);
    const metadata: Record<string, unknown> = { updateId, chatType: message.chat.type, messageId: message.message_id, ...content.metadata };
    if ('title' in message.chat && message.chat.title) metadata.chatTitle = message.chat.title;
    if (message.media_group_id) metadata.mediaGroupId = message.media_group_id;
    if (message.forward_origin) metadata.forwardOrigin = message.forward_origin;
    if (message.message_thread_id !== undefined) metadata.messageThreadId = message.message_thread_id;

    const references: string[] = [];
    let quotedText: string | undefined;
    const replyTo = message.reply_to_message;
    if (replyTo && replyTo.chat.id === message.chat.id) {
      references.push(`${chatId}:${replyTo.message_id}`);
      quotedText = message.quote?.text ?? replyTo.text ?? replyTo.caption;
    }

    return {
      kind: 'message',
      message: {
        inboxId: this.options.inboxId,
        channelType: this.options.channelType,
        externalId: `${chatId}:${message.message_id}`,
        threadKey: chatId,
        sender: this.sender(message),
        sentAt: isoFromUnix(message.date),
        receivedAt: this.now().toISOString(),
        text: content.text,
        ...(content.html !== undefined ? { html: content.html } : {}),
        ...(quotedText ? { quotedText } : {}),
        attachments: content.attachments,
        refusedAttachments: content.refused,
        references,
        ...(references.length > 0 ? { inReplyTo: references[0] } : {}),
        channelMetadata: metadata,
      },
    };
  }

  private mapEdit(message: Message): MappedUpdate {
    const refused = this.refuseChat(message);
    if (refused) return { kind: 'ignored', reason: refused };
    const chatId = String(message.chat.id);
    const text = message.text ?? message.caption;
    if (text === undefined) return { kind: 'ignored', reason: 'edit without text (media replaced)' };
    const html = entitiesToHtml(text, message.text !== undefined ? message.entities : message.caption_entities);
    return {
      kind: 'edit',
      edit: {
        inboxId: this.options.inboxId,
        channelType: this.options.channelType,
        externalId: `${chatId}:${message.message_id}`,
        threadKey: chatId,
        editedAt: isoFromUnix(message.edit_date ?? message.date),
        text,
        ...(html !== undefined ? { html } : {}),
      },
    };
  }

  /** the customer as an identity: the user (or, for anonymous group admins, the chat they speak as) */
  private sender(message: Message): InboundMessageInput['sender'] {
    const from = message.from;
    if (message.sender_chat) {
      const chat = message.sender_chat;
      return { externalId: String(chat.id), displayName: 'title' in chat && chat.title ? chat.title : String(chat.id) };
    }
    if (!from) return { externalId: String(message.chat.id) };
    const name = displayName(from);
    return {
      externalId: String(from.id),
      ...(name ? { displayName: name } : {}),
      ...(from.username ? { username: from.username } : {}),
      ...(from.language_code ? { language: from.language_code } : {}),
    };
  }

  private async content(
    message: Message,
    blobs: BlobStore,
  ): Promise<{ text: string; html?: string; attachments: BlobRef[]; refused: { name: string; size?: number; contentType?: string; reason: string }[]; metadata: Record<string, unknown> }> {
    const metadata: Record<string, unknown> = {};
    const lines: string[] = [];
    let entities: readonly MessageEntity[] | undefined;
    if (message.text !== undefined) {
      lines.push(message.text);
      entities = message.entities;
      if (message.entities?.length) metadata.entities = message.entities;
    } else if (message.caption !== undefined) {
      lines.push(message.caption);
      entities = message.caption_entities;
      if (message.caption_entities?.length) metadata.entities = message.caption_entities;
    }
    const main = lines[0] ?? '';
    const html = entitiesToHtml(main, entities);

    const files: TelegramFileRef[] = [];
    const id = message.message_id;
    if (message.photo && message.photo.length > 0) {
      metadata.kind = 'photo';
      const largest = [...message.photo].sort((a, b) => (b.file_size ?? b.width * b.height) - (a.file_size ?? a.width * a.height))[0];
      files.push({ fileId: largest.file_id, fileUniqueId: largest.file_unique_id, fileSize: largest.file_size, name: `photo-${id}.jpg`, contentType: 'image/jpeg' });
    }
    if (message.document && !message.animation) {
      metadata.kind = 'document';
      const doc = message.document;
      files.push({
        fileId: doc.file_id,
        fileUniqueId: doc.file_unique_id,
        fileSize: doc.file_size,
        name: doc.file_name ?? `document-${id}${extension(doc.file_name) ? `.${extension(doc.file_name)}` : ''}`,
        contentType: doc.mime_type ?? 'application/octet-stream',
      });
    }
    if (message.animation) {
      metadata.kind = 'animation';
      const anim = message.animation;
      files.push({ fileId: anim.file_id, fileUniqueId: anim.file_unique_id, fileSize: anim.file_size, name: anim.file_name ?? `animation-${id}.mp4`, contentType: anim.mime_type ?? 'video/mp4' });
    }
    if (message.voice) {
      metadata.kind = 'voice';
      metadata.durationSeconds = message.voice.duration;
      files.push({ fileId: message.voice.file_id, fileUniqueId: message.voice.file_unique_id, fileSize: message.voice.file_size, name: `voice-${id}.ogg`, contentType: message.voice.mime_type ?? 'audio/ogg' });
    }
    if (message.audio) {
      metadata.kind = 'audio';
      const audio = message.audio;
      metadata.durationSeconds = audio.duration;
      if (audio.performer || audio.title) metadata.audio = { performer: audio.performer, title: audio.title };
      const named = audio.file_name ?? ([audio.performer, audio.title].filter(Boolean).join(' - ') || `audio-${id}`);
      files.push({
        fileId: audio.file_id,
        fileUniqueId: audio.file_unique_id,
        fileSize: audio.file_size,
        name: extension(named) ? named : `${named}.mp3`,
        contentType: audio.mime_type ?? 'audio/mpeg',
      });
    }
    if (message.video) {
      metadata.kind = 'video';
      metadata.durationSeconds = message.video.duration;
      files.push({ fileId: message.video.file_id, fileUniqueId: message.video.file_unique_id, fileSize: message.video.file_size, name: message.video.file_name ?? `video-${id}.mp4`, contentType: message.video.mime_type ?? 'video/mp4' });
    }
    if (message.video_note) {
      metadata.kind = 'video_note';
      metadata.durationSeconds = message.video_note.duration;
      files.push({ fileId: message.video_note.file_id, fileUniqueId: message.video_note.file_unique_id, fileSize: message.video_note.file_size, name: `video-note-${id}.mp4`, contentType: 'video/mp4' });
    }
    if (message.sticker) {
      metadata.kind = 'sticker';
      const sticker = message.sticker;
      metadata.sticker = { emoji: sticker.emoji, setName: sticker.set_name, type: sticker.type, animated: sticker.is_animated, video: sticker.is_video };
      const [ext, contentType] = sticker.is_animated ? ['tgs', 'application/x-tgsticker'] : sticker.is_video ? ['webm', 'video/webm'] : ['webp', 'image/webp'];
      files.push({ fileId: sticker.file_id, fileUniqueId: sticker.file_unique_id, fileSize: sticker.file_size, name: `sticker-${id}.${ext}`, contentType });
      if (lines.length === 0) lines.push(sticker.emoji ? `${sticker.emoji} (sticker)` : '(sticker)');
    }
    if (message.venue) {
      metadata.kind = 'venue';
      const { venue } = message;
      metadata.location = { latitude: venue.location.latitude, longitude: venue.location.longitude };
      metadata.venue = { title: venue.title, address: venue.address };
      lines.push(`📍 ${venue.title}, ${venue.address} (${venue.location.latitude}, ${venue.location.longitude})`);
    } else if (message.location) {
      metadata.kind = 'location';
      const { location } = message;
      metadata.location = { latitude: location.latitude, longitude: location.longitude, ...(location.live_period ? { livePeriod: location.live_period } : {}) };
      lines.push(`📍 Location: ${location.latitude}, ${location.longitude} https://maps.google.com/?q=${location.latitude},${location.longitude}`);
    }
    if (message.contact) {
      metadata.kind = 'contact';
      const { contact } = message;
      metadata.contact = { phoneNumber: contact.phone_number, firstName: contact.first_name, lastName: contact.last_name, userId: contact.user_id };
      lines.push(`👤 Contact: ${displayName(contact)}, ${contact.phone_number}`);
    }
    if (message.poll) {
      metadata.kind = 'poll';
      lines.push(`📊 ${message.poll.question}\n${message.poll.options.map((option) => `• ${option.text}`).join('\n')}`);
    }
    if (message.dice) {
      metadata.kind = 'dice';
      lines.push(`${message.dice.emoji} ${message.dice.value}`);
    }
    if (lines.length === 0 && files.length === 0) {
      metadata.kind = 'unsupported';
      const kinds = Object.keys(message).filter((key) => !['message_id', 'from', 'chat', 'date', 'sender_chat'].includes(key));
      lines.push(`[unsupported Telegram message: ${kinds.join(', ') || 'empty'}]`);
    }
    if (!metadata.kind) metadata.kind = 'text';

    const attachments: BlobRef[] = [];
    const refused: { name: string; size?: number; contentType?: string; reason: string }[] = [];
    for (const file of files) {
      const result = await this.options.files.store(file, blobs);
      if ('stored' in result) attachments.push(result.stored);
      else refused.push(result.refused);
    }
    const text = lines.join('\n');
    return { text, ...(html !== undefined && lines.length === 1 ? { html } : {}), attachments, refused, metadata };
  }
}
