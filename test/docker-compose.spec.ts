import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..');

/** `docker compose config` (the plugin) or Debian's `docker-compose config`; neither needs an engine. */
function composeConfig(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const plugin = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
  const [command, base] = plugin.status === 0 ? ['docker', ['compose']] : ['docker-compose', []];
  const run = spawnSync(command, [...base, '-f', join(root, 'docker-compose.yml'), 'config', ...args], {
    encoding: 'utf8',
    env: { ...process.env, SECRETS_KEY: 'x', JWT_SECRET: 'x', INTERNAL_API_TOKEN: 'x' },
  });
  if (run.error) throw run.error;
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('docker-compose.yml', () => {
  it('passes `docker compose config`', () => {
    const result = composeConfig(['-q']);
    expect(result.stderr).not.toMatch(/invalid|error/i);
    expect(result.status).toBe(0);
  });

  it('runs Kafka, Postgres and the four services, each with a healthcheck', () => {
    const services = composeConfig(['--services']).stdout.split('\n').filter(Boolean).sort();
    expect(services).toEqual(
      ['email-connector', 'gateway', 'inbox', 'kafka', 'postgres', 'telegram-connector'].sort(),
    );
    const full = composeConfig([]).stdout;
    expect(full.match(/healthcheck:/g)?.length ?? 0).toBeGreaterThanOrEqual(6);
  });

  it('builds every service from the one Dockerfile', () => {
    const dockerfile = execFileSync('grep', ['-c', '^FROM ', join(root, 'Dockerfile')], { encoding: 'utf8' });
    expect(Number(dockerfile.trim())).toBeGreaterThanOrEqual(2);
  });
});
