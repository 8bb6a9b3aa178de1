import type { Request } from 'express';

/** The caller's address as express sees it (honours `trust proxy` when TRUST_PROXY is set). */
export function clientAddress(request: Request): string {
  return request.ip ?? request.socket.remoteAddress ?? 'unknown';
}
