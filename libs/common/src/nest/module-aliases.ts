/**
 * Resolves the monorepo's `@switchboard/*` imports at run time, for the compiled output
 * (`node dist/apps/<service>/src/main.js`) and for ts-node alike: tsc keeps the aliases of
 * tsconfig.json's `paths` as written. Every main.ts imports this file first. (jest maps the
 * aliases itself with moduleNameMapper; this file changes nothing there.)
 */
import Module from 'node:module';
import { join, resolve } from 'node:path';

/** dist/ in the compiled output, the repository root under ts-node (this file is libs/common/src/nest/). */
const ROOT = resolve(__dirname, '../../../..');

const ALIASES: Record<string, string> = {
  '@switchboard/common': join(ROOT, 'libs/common/src'),
  '@switchboard/connector-sdk': join(ROOT, 'libs/connector-sdk/src'),
  '@switchboard/testing': join(ROOT, 'libs/testing/src'),
};

type Resolve = (request: string, ...rest: unknown[]) => string;
const moduleWithResolver = Module as unknown as { _resolveFilename: Resolve & { switchboardAliases?: true } };

function aliased(request: string): string | undefined {
  for (const [alias, target] of Object.entries(ALIASES)) {
    if (request === alias) return target;
    if (request.startsWith(`${alias}/`)) return join(target, request.slice(alias.length + 1));
  }
  return undefined;
}

if (!moduleWithResolver._resolveFilename.switchboardAliases) {
  const original = moduleWithResolver._resolveFilename;
  const patched: Resolve & { switchboardAliases?: true } = function (
    this: unknown,
    request: string,
    ...rest: unknown[]
  ) {
    return original.call(this, aliased(request) ?? request, ...rest);
  };
  patched.switchboardAliases = true;
  moduleWithResolver._resolveFilename = patched;
}

export const MODULE_ALIASES_ROOT = ROOT;
