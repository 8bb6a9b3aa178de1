import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Api } from 'grammy';
import { BlobRef, BlobStore, BlobTooLargeError } from '@switchboard/common';
import { ConnectorError } from '@switchboard/connector-sdk';
import { classifyTelegramError } from './telegram-error.classifier';

/** A file a Telegram message carries, as far as the message describes it. */
export interface TelegramFileRef {
  fileId: string;
  fileUniqueId: string;
  /** what the message says; may be absent */
  fileSize?: number;
  name: string;
  contentType: string;
}

export type StoredFile = { stored: BlobRef } | { refused: { name: string; size?: number; contentType?: string; reason: string } };

/**
 * Fetches a message's file from the Bot API (getFile, then `<apiRoot>/file/bot<token>/<file_path>`)
 * and streams it into the BlobStore, refusing what is larger than the limit. Transport failures
 * are ConnectorErrors (TEMPORARY, RATE_LIMITED…), so the update is retried rather than stored
 * without its file.
 */
export class TelegramFileFetcher {
  constructor(
    private readonly api: Api,
    private readonly apiRoot: string,
    private readonly token: string,
    private readonly maxBytes: number,
    private readonly downloadTimeoutMs = 120_000,
  ) {}

  async store(file: TelegramFileRef, blobs: BlobStore): Promise<StoredFile> {
    const tooLarge = (size: number): StoredFile => ({
      refused: { name: file.name, size, contentType: file.contentType, reason: `larger than the limit of ${this.maxBytes} bytes` },
    });
    if (file.fileSize !== undefined && file.fileSize > this.maxBytes) return tooLarge(file.fileSize);
    let filePath: string | undefined;
    try {
      filePath = (await this.api.getFile(file.fileId)).file_path;
    } catch (error) {
      const classified = classifyTelegramError(error);
      if (classified.code === 'UNSUPPORTED') return { refused: { name: file.name, size: file.fileSize, contentType: file.contentType, reason: classified.message } };
      throw classified;
    }
    if (!filePath) throw new ConnectorError('TEMPORARY', 'Telegram getFile returned no file_path');
    let response: Response;
    try {
      response = await fetch(`${this.apiRoot}/file/bot${this.token}/${filePath.split('/').map(encodeURIComponent).join('/')}`, {
        signal: AbortSignal.timeout(this.downloadTimeoutMs),
      });
    } catch (error) {
      throw classifyTelegramError(error);
    }
    if (!response.ok || !response.body) {
      await response.arrayBuffer().catch(() => undefined);
      const code = response.status === 401 ? 'AUTH_INVALID' : response.status === 404 ? 'NOT_FOUND' : 'TEMPORARY';
      throw new ConnectorError(code, `Telegram file download answered ${response.status}`);
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > this.maxBytes) {
      await response.body.cancel().catch(() => undefined);
      return tooLarge(declared);
    }
    try {
      const stored = await blobs.put({
        name: file.name,
        contentType: file.contentType,
        data: Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>),
        maxBytes: this.maxBytes,
      });
      return { stored };
    } catch (error) {
      if (error instanceof BlobTooLargeError) return tooLarge(error.seen);
      throw classifyTelegramError(error);
    }
  }
}
