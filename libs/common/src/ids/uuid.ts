import { randomBytes, randomUUID } from 'node:crypto';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

let lastMs = -1;
let lastSeq = 0;

/** random bytes drawn in 4 KiB blocks: one syscall per 256 ids instead of one per id (hot paths mint many) */
const POOL_SIZE = 4096;
let pool = Buffer.alloc(0);
let poolOffset = POOL_SIZE;

function randomPooled(size: number): Buffer {
  if (poolOffset + size > pool.length) {
    pool = randomBytes(POOL_SIZE);
    poolOffset = 0;
  }
  const out = Buffer.from(pool.subarray(poolOffset, poolOffset + size));
  poolOffset += size;
  return out;
}

function format(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * A UUID v7 (RFC 9562): 48-bit unix ms timestamp, then a 12-bit counter (rand_a) that keeps ids
 * created in the same millisecond of this process strictly increasing, then 62 random bits.
 * Sorting v7 ids as strings sorts them by creation time, which keeps B-tree inserts local.
 */
export function uuidv7(now: number = Date.now()): string {
  let ms = now;
  if (ms <= lastMs) {
    // same millisecond (or the clock went back): count up within the last timestamp
    ms = lastMs;
    lastSeq += 1;
    if (lastSeq > 0xfff) {
      // counter exhausted: borrow the next millisecond
      ms = lastMs + 1;
      lastSeq = 0;
    }
  } else {
    lastSeq = randomPooled(2).readUInt16BE(0) & 0x7ff; // random start, leaves room to count up
  }
  lastMs = ms;

  const bytes = randomPooled(16);
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | ((lastSeq >> 8) & 0x0f);
  bytes[7] = lastSeq & 0xff;
  bytes[8] = 0x80 | (bytes[8] & 0x3f);
  return format(bytes);
}

/** A random UUID v4. */
export function uuidv4(): string {
  return randomUUID();
}

/** The id for a new row or event: a time-ordered UUID v7. */
export function newId(): string {
  return uuidv7();
}

/** true for a canonical UUID string (any version 1-8, RFC 4122 variant). */
export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

/** The creation time (unix ms) embedded in a UUID v7, or undefined for another version. */
export function uuidv7Time(id: string): number | undefined {
  if (!isUuid(id) || id[14] !== '7') return undefined;
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
