import type { IncomingMessage } from 'node:http';

/** A file uploaded with multipart/form-data (grammY's InputFile). */
export interface UploadedFile {
  /** the form field name (grammY uses a random id, referenced as `attach://<id>`) */
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

/** A Bot API call as the fake received it: parameters from the query, JSON, urlencoded or multipart body. */
export interface ParsedBotApiRequest {
  params: Record<string, unknown>;
  files: Record<string, UploadedFile>;
}

const MAX_BODY_BYTES = 60 * 1024 * 1024;

export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new Error('request entity too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * The Bot API accepts parameters in the query string, application/json,
 * application/x-www-form-urlencoded and multipart/form-data. Non-JSON values of object
 * parameters (reply_parameters, entities…) arrive JSON-encoded as strings; they are decoded here.
 */
export async function parseBotApiRequest(request: IncomingMessage, url: URL): Promise<ParsedBotApiRequest> {
  const params: Record<string, unknown> = {};
  const files: Record<string, UploadedFile> = {};
  for (const [key, value] of url.searchParams) params[key] = decodeFormValue(value);
  const body = request.method === 'GET' || request.method === 'HEAD' ? Buffer.alloc(0) : await readBody(request);
  if (body.length === 0) return { params, files };
  const contentType = String(request.headers['content-type'] ?? '');
  if (contentType.startsWith('application/json')) {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) Object.assign(params, parsed);
  } else if (contentType.startsWith('application/x-www-form-urlencoded')) {
    for (const [key, value] of new URLSearchParams(body.toString('utf8'))) params[key] = decodeFormValue(value);
  } else if (contentType.startsWith('multipart/form-data')) {
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
    if (!boundary) throw new Error('multipart body without a boundary');
    for (const part of parseMultipart(body, boundary[1] ?? boundary[2])) {
      if (part.filename !== undefined) {
        files[part.name] = { field: part.name, filename: part.filename, contentType: part.contentType, data: part.data };
      } else {
        params[part.name] = decodeFormValue(part.data.toString('utf8'));
      }
    }
  }
  return { params, files };
}

/** Form values of object/array parameters are JSON; scalars stay strings (the API coerces them). */
function decodeFormValue(value: string): unknown {
  const trimmed = value.trim();
  if ((trimmed.startsWith('{') && trimmed.endsWith('}')) || (trimmed.startsWith('[') && trimmed.endsWith(']'))) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return value;
    }
  }
  return value;
}

interface MultipartPart {
  name: string;
  filename?: string;
  contentType: string;
  data: Buffer;
}

/** A small multipart/form-data parser (tolerates grammY's `content-disposition:form-data;name="x";filename=y`). */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let position = body.indexOf(delimiter);
  while (position >= 0) {
    let start = position + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    if (body.subarray(start, start + 2).toString() === '\r\n') start += 2;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    let end = next;
    if (body.subarray(end - 2, end).toString() === '\r\n') end -= 2;
    const chunk = body.subarray(start, end);
    const headerEnd = chunk.indexOf('\r\n\r\n');
    if (headerEnd >= 0) {
      const headers = chunk.subarray(0, headerEnd).toString('utf8').split('\r\n');
      const data = chunk.subarray(headerEnd + 4);
      let name = '';
      let filename: string | undefined;
      let contentType = 'text/plain';
      for (const header of headers) {
        const colon = header.indexOf(':');
        if (colon < 0) continue;
        const key = header.slice(0, colon).trim().toLowerCase();
        const value = header.slice(colon + 1).trim();
        if (key === 'content-disposition') {
          name = /(?:^|;)\s*name=(?:"([^"]*)"|([^;]*))/i.exec(value)?.slice(1).find((v) => v !== undefined) ?? '';
          const file = /(?:^|;)\s*filename=(?:"([^"]*)"|([^;]*))/i.exec(value);
          if (file) filename = (file[1] ?? file[2] ?? '').trim();
        } else if (key === 'content-type') {
          contentType = value;
        }
      }
      parts.push({ name, filename, contentType, data: Buffer.from(data) });
    }
    position = next;
  }
  return parts;
}
