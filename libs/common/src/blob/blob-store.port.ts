import type { Readable } from 'node:stream';
import type { BlobRef } from '../contracts/schemas/common.schema';

export interface PutBlobInput {
  name: string;
  contentType: string;
  data: Buffer | Readable;
  /** refuse (BlobTooLargeError) when the content is larger */
  maxBytes?: number;
}

/** Where attachment bytes live (DESIGN.md, "Attachments"). Events carry only a BlobRef. */
export interface BlobStore {
  put(input: PutBlobInput): Promise<BlobRef>;
  get(key: string): Promise<Buffer>;
  stream(key: string): Promise<Readable>;
  exists(key: string): Promise<boolean>;
  delete(key: string): Promise<void>;
}

export class BlobTooLargeError extends Error {
  override readonly name = 'BlobTooLargeError';
  constructor(
    readonly limit: number,
    readonly seen: number,
  ) {
    super(`attachment larger than the limit of ${limit} bytes`);
  }
}

export class BlobNotFoundError extends Error {
  override readonly name = 'BlobNotFoundError';
  constructor(readonly key: string) {
    super(`blob not found: ${key}`);
  }
}
