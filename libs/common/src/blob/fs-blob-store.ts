import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobRef } from '../contracts/schemas/common.schema';
import { BlobNotFoundError, BlobStore, BlobTooLargeError, PutBlobInput } from './blob-store.port';

/**
 * Filesystem BlobStore (BLOB_DIR). Keys are `<yyyy>/<mm>/<uuid>`; the content is streamed to a
 * temporary file, hashed and size-checked on the way, then renamed into place.
 */
export class FsBlobStore implements BlobStore {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async put(input: PutBlobInput): Promise<BlobRef> {
    const now = new Date();
    const key = `${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}/${randomUUID()}`;
    const target = this.pathOf(key);
    const temporary = `${target}.partial`;
    await mkdir(dirname(target), { recursive: true });
    const hash = createHash('sha256');
    let size = 0;
    const limit = input.maxBytes;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        if (limit !== undefined && size > limit) {
          callback(new BlobTooLargeError(limit, size));
          return;
        }
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    const source = Buffer.isBuffer(input.data) ? Readable.from([input.data]) : input.data;
    try {
      await pipeline(source, meter, createWriteStream(temporary));
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    return { key, name: input.name, size, contentType: input.contentType, sha256: hash.digest('hex') };
  }

  async get(key: string): Promise<Buffer> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      throw this.notFound(error, key);
    }
  }

  async stream(key: string): Promise<Readable> {
    const path = this.pathOf(key);
    if (!(await this.exists(key))) throw new BlobNotFoundError(key);
    return createReadStream(path);
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(key))).isFile();
    } catch {
      return false;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  /** resolves a key inside the root; refuses anything that would escape it */
  private pathOf(key: string): string {
    if (!/^[A-Za-z0-9/_-]+$/.test(key) || key.includes('..')) throw new BlobNotFoundError(key);
    const path = resolve(join(this.root, key));
    if (!path.startsWith(this.root + sep)) throw new BlobNotFoundError(key);
    return path;
  }

  private notFound(error: unknown, key: string): Error {
    return (error as NodeJS.ErrnoException)?.code === 'ENOENT' ? new BlobNotFoundError(key) : (error as Error);
  }
}
