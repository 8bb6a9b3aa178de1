/**
 * Large text parameters as UTF-8 buffers. node-postgres sends a Buffer in binary format, and the binary
 * form of `text` and `json` is their UTF-8 bytes, so a batch's column goes out without first being joined
 * into one large JavaScript string (two bytes a character as soon as one part holds Cyrillic) that the
 * driver then encodes again: about 1.4 µs instead of 8.8 µs for a 1.3 KB event. Not for `jsonb`, whose
 * binary form starts with a version byte.
 */
export function utf8Joined(parts: readonly string[], separator: string, open = '', close = ''): Buffer {
  const separatorBytes = Buffer.byteLength(separator);
  let size = Buffer.byteLength(open) + Buffer.byteLength(close) + separatorBytes * Math.max(0, parts.length - 1);
  for (const part of parts) size += Buffer.byteLength(part);
  const out = Buffer.allocUnsafe(size);
  let offset = out.write(open, 0);
  for (let index = 0; index < parts.length; index += 1) {
    if (index > 0) offset += out.write(separator, offset);
    offset += out.write(parts[index], offset);
  }
  offset += out.write(close, offset);
  if (offset !== size) throw new Error(`utf8Joined wrote ${offset} of ${size} bytes`);
  return out;
}
