import { BusHeaders } from '../bus.port';

/** Buffer and string as they are, anything else as JSON. */
export function encodeValue(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  return Buffer.from(JSON.stringify(value ?? null), 'utf8');
}

/** Header values as strings, whatever a caller slipped through. */
export function stringHeaders(headers: BusHeaders): BusHeaders {
  const out: BusHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && value !== null) out[name] = String(value);
  }
  return out;
}
