import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

const REPO_ROOT = resolve(__dirname, '../../../..');

export interface EntrypointResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface EntrypointProcess {
  child: ChildProcess;
  /** everything written so far */
  output(): { stdout: string; stderr: string };
  /** resolves when stdout+stderr match `pattern` (rejects on exit or after timeoutMs) */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<EntrypointResult>;
}

/**
 * Starts a service entrypoint (e.g. apps/inbox/src/main.ts) the way a developer would, with
 * ts-node (transpile only) and tsconfig-paths, in a clean environment: only PATH and `env`.
 */
export function spawnEntrypoint(entry: string, env: Record<string, string>): EntrypointProcess {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', resolve(REPO_ROOT, entry)],
    {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    listeners.forEach((listener) => listener());
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    listeners.forEach((listener) => listener());
  });
  const exited = new Promise<EntrypointResult>((resolveExit) => {
    child.once('exit', (code, signal) => {
      // let the pipes drain
      setImmediate(() => resolveExit({ code, signal, stdout, stderr }));
    });
  });
  return {
    child,
    exited,
    output: () => ({ stdout, stderr }),
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise((resolveMatch, reject) => {
        const check = (): boolean => {
          const match = (stdout + stderr).match(pattern);
          if (!match) return false;
          cleanup();
          resolveMatch(match);
          return true;
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no output matching ${pattern} within ${timeoutMs} ms:\n${stdout}\n${stderr}`));
        }, timeoutMs);
        const onExit = (): void => {
          if (check()) return;
          cleanup();
          reject(new Error(`exited before printing ${pattern}:\n${stdout}\n${stderr}`));
        };
        const cleanup = (): void => {
          clearTimeout(timer);
          listeners.delete(onData);
          child.off('exit', onExit);
        };
        const onData = (): void => {
          check();
        };
        listeners.add(onData);
        child.once('exit', onExit);
        check();
      });
    },
  };
}

/** Runs an entrypoint to its end (see spawnEntrypoint). */
export function runEntrypoint(entry: string, env: Record<string, string>): Promise<EntrypointResult> {
  return spawnEntrypoint(entry, env).exited;
}
