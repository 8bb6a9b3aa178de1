import { existsSync, readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';

export interface PublicFile {
  body: Buffer;
  contentType: string;
}

const TYPES: Record<string, string> = {
  '.js': 'application/javascript; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** The gateway's static files (apps/gateway/public: the widget and the console), read once. */
export class PublicFiles {
  private readonly files = new Map<string, PublicFile>();
  readonly directory: string;

  constructor(directory?: string) {
    this.directory = directory ?? PublicFiles.locate();
  }

  /** apps/gateway/public next to the sources, else below the working directory (the compiled build) */
  static locate(): string {
    const candidates = [resolve(__dirname, '../../public'), resolve(process.cwd(), 'apps/gateway/public')];
    return candidates.find((candidate) => existsSync(join(candidate, 'widget.js'))) ?? candidates[0];
  }

  get(name: string): PublicFile | undefined {
    if (!/^[a-z0-9][a-z0-9.-]*$/.test(name)) return undefined;
    let file = this.files.get(name);
    if (!file) {
      const path = join(this.directory, name);
      if (!existsSync(path)) return undefined;
      file = { body: readFileSync(path), contentType: TYPES[extname(name)] ?? 'application/octet-stream' };
      this.files.set(name, file);
    }
    return file;
  }
}
