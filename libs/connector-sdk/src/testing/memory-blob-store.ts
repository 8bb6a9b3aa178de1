import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { BlobNotFoundError, BlobRef, BlobStore, BlobTooLargeError, PutBlobInput } from '@switchboard/common';

/** A BlobStore in memory, for connector unit tests. */
export class MemoryBlobStore implements BlobStore {
  readonly blobs = new Map<string, { ref: BlobRef; data: Buffer }>();

  async put(input: PutBlobInput): Promise<BlobRef> {
    const data = Buffer.isBuffer(input.data) ? input.data : await readAll(input.data, input.maxBytes);
    if (input.maxBytes !== undefined && data.length > input.maxBytes)
      throw new BlobTooLargeError(input.maxBytes, data.length);
    const ref: BlobRef = {
      key: `memory/${randomUUID()}`,
      name: input.name,
      size: data.length,
      contentType: input.contentType,
      sha256: createHash('sha256').update(data).digest('hex'),
    };
    this.blobs.set(ref.key, { ref, data });
    return ref;
  }

  async get(key: string): Promise<Buffer> {
    const blob = this.blobs.get(key);
    if (!blob) throw new BlobNotFoundError(key);
    return blob.data;
  }

  async stream(key: string): Promise<Readable> {
    return Readable.from([await this.get(key)]);
  }

  async exists(key: string): Promise<boolean> {
    return this.blobs.has(key);
  }

  async delete(key: string): Promise<void> {
    this.blobs.delete(key);
  }
}

async function readAll(stream: Readable, maxBytes?: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += buffer.length;
    if (maxBytes !== undefined && size > maxBytes) {
      stream.destroy();
      throw new BlobTooLargeError(maxBytes, size);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}
