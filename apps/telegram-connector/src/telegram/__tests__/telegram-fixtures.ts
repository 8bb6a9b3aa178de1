import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Update } from 'grammy/types';

const DIRECTORY = join(__dirname, '../../__tests__/fixtures');

/** a recorded Bot API update from apps/telegram-connector/src/__tests__/fixtures (a fresh copy each time) */
export function fixture(name: string): Update {
  return JSON.parse(readFileSync(join(DIRECTORY, `${name}.json`), 'utf8')) as Update;
}

export function fixtureNames(): string[] {
  return readdirSync(DIRECTORY)
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

/** the file ids a fixture's message points at (what normalize fetches with getFile) */
export function fileIdsOf(update: Update): string[] {
  const message = update.message ?? update.edited_message;
  if (!message) return [];
  const ids: string[] = [];
  if (message.photo) ids.push(...message.photo.map((size) => size.file_id));
  for (const media of [message.document, message.voice, message.audio, message.video, message.video_note, message.sticker, message.animation]) {
    if (media) ids.push(media.file_id);
  }
  return ids;
}
