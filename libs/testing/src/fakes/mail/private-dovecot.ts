import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createTransport } from 'nodemailer';
import { tcpAnswers } from '../../infra/tcp-probe';
import { freePort } from './free-port';

const run = promisify(execFile);

const DOVECOT_BINARIES = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'];
const DOVEADM_BINARIES = ['/usr/bin/doveadm', '/usr/local/bin/doveadm'];
const SETUP_SCRIPT = resolve(__dirname, '../../../../../scripts/setup.d/dovecot.sh');

/** A mailbox of the private server (login = address). */
export interface MailUser {
  address: string;
  password: string;
}

export interface PrivateDovecotOptions {
  users: MailUser[];
}

/** What an LMTP delivery needs besides the bytes. */
export interface DeliverOptions {
  /** MAIL FROM (default: none, `<>`) */
  envelopeFrom?: string;
}

interface Identity {
  uid: number;
  gid: number;
  internalUser: string;
  loginUser: string;
}

/**
 * A private Dovecot (Debian's dovecot-imapd + dovecot-lmtpd) for one test file or benchmark:
 * its own config, base_dir and maildirs in a temp directory, IMAP (with IDLE) and LMTP on free
 * 127.0.0.1 ports, passwd-file users with plaintext passwords, plaintext auth without TLS.
 * Never touches the system service. As root, mail is stored as the `mail` user (uid 8) and the
 * login/internal processes run as Debian's `dovenull` / `dovecot`; otherwise everything runs as
 * the current user.
 */
export class PrivateDovecot {
  readonly host = '127.0.0.1';
  private readonly users = new Map<string, string>();
  private exited = false;
  /** mtime (s) of the last users file; dovecot re-reads a passwd-file only when its mtime/size change */
  private usersStamp = 0;
  /** never leave an orphan dovecot behind when the test process dies */
  private readonly onProcessExit = (): void => {
    this.child.kill('SIGKILL');
  };

  private constructor(
    readonly dir: string,
    readonly imapPort: number,
    readonly lmtpPort: number,
    private readonly configPath: string,
    private readonly usersPath: string,
    private readonly identity: Identity,
    private readonly child: ChildProcess,
  ) {
    child.once('exit', () => {
      this.exited = true;
    });
    process.once('exit', this.onProcessExit);
  }

  static async start(options: PrivateDovecotOptions): Promise<PrivateDovecot> {
    const binary = await ensureDovecotInstalled();
    const identity = await mailIdentity();
    const dir = await mkdtemp(join(tmpdir(), 'switchboard-dovecot-'));
    await chmod(dir, 0o755);
    for (const sub of ['run', 'state', 'mail']) await mkdir(join(dir, sub), { recursive: true });
    await chown(join(dir, 'mail'), identity.uid, identity.gid);
    const [imapPort, lmtpPort] = [await freePort(), await freePort()];
    const configPath = join(dir, 'dovecot.conf');
    const usersPath = join(dir, 'users');
    await writeFile(configPath, renderConfig({ dir, imapPort, lmtpPort, usersPath, identity }));

    const child = spawn(binary, ['-F', '-c', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const server = new PrivateDovecot(dir, imapPort, lmtpPort, configPath, usersPath, identity, child);
    for (const user of options.users) server.users.set(user.address, user.password);
    await server.writeUsers();

    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if (server.exited) break;
      if ((await tcpAnswers('127.0.0.1', imapPort, 300)) && (await tcpAnswers('127.0.0.1', lmtpPort, 300))) return server;
      await sleep(100);
    }
    const log = await readFile(join(dir, 'dovecot.log'), 'utf8').catch(() => '');
    await server.stop();
    throw new Error(`private dovecot did not start: ${output}\n${log}`);
  }

  /** IMAP connection settings of a user */
  imap(address: string): { host: string; port: number; secure: false; user: string; password: string } {
    return { host: this.host, port: this.imapPort, secure: false, user: address, password: this.passwordOf(address) };
  }

  async addUser(user: MailUser): Promise<void> {
    this.users.set(user.address, user.password);
    await this.writeUsers();
    await sleep(1100);
  }

  /**
   * Changes a password. Dovecot stats a passwd-file at most once a second, so this waits until the
   * change is certainly seen by the next login.
   */
  async setPassword(address: string, password: string): Promise<void> {
    this.passwordOf(address);
    this.users.set(address, password);
    await this.writeUsers();
    await sleep(1100);
  }

  /**
   * Delivers one raw message by LMTP. `recipient` may carry a +detail (`support+token@…`): the
   * mail lands in the base user's INBOX with `Delivered-To: <recipient>`.
   */
  async deliver(recipient: string, raw: Buffer | string, options: DeliverOptions = {}): Promise<void> {
    await this.deliverMany([{ recipient, raw, ...options }]);
  }

  /** Delivers many messages over a small pool of LMTP connections, in order per connection. */
  async deliverMany(mails: Array<{ recipient: string; raw: Buffer | string } & DeliverOptions>, concurrency = 1): Promise<void> {
    const transport = createTransport({
      host: this.host,
      port: this.lmtpPort,
      lmtp: true,
      pool: true,
      maxConnections: Math.max(1, concurrency),
      maxMessages: Number.POSITIVE_INFINITY,
      name: 'localhost',
      secure: false,
      ignoreTLS: true,
    });
    try {
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < mails.length) {
          const mail = mails[next++];
          const info = await transport.sendMail({
            envelope: { from: mail.envelopeFrom ?? '', to: [mail.recipient] },
            raw: mail.raw,
          });
          if (info.rejected.length > 0) throw new Error(`LMTP rejected ${mail.recipient}: ${info.response}`);
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, concurrency) }, () => worker()));
    } finally {
      transport.close();
    }
  }

  /** Sets a mailbox's UIDVALIDITY (what a server migration or a restored mailbox does). */
  async setUidValidity(address: string, uidValidity: number, mailbox = 'INBOX'): Promise<void> {
    await run(doveadmBinary(), ['-c', this.configPath, 'mailbox', 'update', '-u', address, '--uid-validity', String(uidValidity), mailbox]);
  }

  /** Disconnects every IMAP session of a user (what a server restart or a network drop does to a client). */
  async kick(address: string): Promise<void> {
    await run(doveadmBinary(), ['-c', this.configPath, 'kick', address]);
  }

  /** the server's log (for assertions and debugging) */
  async log(): Promise<string> {
    return readFile(join(this.dir, 'dovecot.log'), 'utf8').catch(() => '');
  }

  async stop(): Promise<void> {
    process.removeListener('exit', this.onProcessExit);
    if (!this.exited) {
      const exited = new Promise<void>((done) => this.child.once('exit', () => done()));
      this.child.kill('SIGTERM');
      const timer = new Promise<void>((done) => setTimeout(done, 10_000).unref());
      await Promise.race([exited, timer]);
      if (!this.exited) this.child.kill('SIGKILL');
    }
    await rm(this.dir, { recursive: true, force: true });
  }

  private passwordOf(address: string): string {
    const password = this.users.get(address);
    if (password === undefined) throw new Error(`no such mail user: ${address}`);
    return password;
  }

  private async writeUsers(): Promise<void> {
    const { uid, gid } = this.identity;
    const lines = [...this.users].map(([address, password]) => {
      if (/[:\n]/.test(address) || /[:\n]/.test(password)) throw new Error('mail users and passwords may not contain ":" or newlines');
      return `${address}:{PLAIN}${password}:${uid}:${gid}::${join(this.dir, 'mail', address)}::nodelay=y`;
    });
    const temporary = `${this.usersPath}.tmp`;
    await writeFile(temporary, `${lines.join('\n')}\n`, { mode: 0o644 });
    this.usersStamp = Math.max(Math.floor(Date.now() / 1000), this.usersStamp + 1);
    await utimes(temporary, this.usersStamp, this.usersStamp);
    await run('mv', ['-f', temporary, this.usersPath]);
  }
}

function renderConfig(input: { dir: string; imapPort: number; lmtpPort: number; usersPath: string; identity: Identity }): string {
  const { dir, imapPort, lmtpPort, usersPath, identity } = input;
  return `# private test instance (libs/testing/src/fakes/mail/private-dovecot.ts)
instance_name = switchboard-${imapPort}
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap lmtp
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
# no anvil auth penalty for the tests' deliberate wrong passwords
login_trusted_networks = 127.0.0.0/8
mail_location = maildir:~/Maildir
mail_fsync = never
first_valid_uid = ${Math.min(identity.uid, 8)}
first_valid_gid = ${Math.min(identity.gid, 8)}
default_internal_user = ${identity.internalUser}
default_login_user = ${identity.loginUser}
recipient_delimiter = +
lmtp_save_to_detail_mailbox = no
mail_max_userip_connections = 200
imap_idle_notify_interval = 1 secs
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${usersPath}
}
userdb {
  driver = passwd-file
  args = username_format=%u ${usersPath}
}
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${imapPort}
  }
  inet_listener imaps {
    port = 0
  }
  process_min_avail = 1
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = ${lmtpPort}
  }
}
`;
}

async function mailIdentity(): Promise<Identity> {
  const me = userInfo();
  if (me.uid !== 0) return { uid: me.uid, gid: me.gid, internalUser: me.username, loginUser: me.username };
  const [mailUid, mailGid] = [await idOf('-u', 'mail'), await idOf('-g', 'mail')];
  return { uid: mailUid, gid: mailGid, internalUser: 'dovecot', loginUser: 'dovenull' };
}

async function idOf(flag: '-u' | '-g', name: string): Promise<number> {
  const { stdout } = await run('id', [flag, name]);
  return Number(stdout.trim());
}

async function ensureDovecotInstalled(): Promise<string> {
  const found = DOVECOT_BINARIES.find((path) => existsSync(path));
  if (found && existsSync('/usr/lib/dovecot/lmtp')) return found;
  await run('bash', [SETUP_SCRIPT], { maxBuffer: 16 * 1024 * 1024 });
  const installed = DOVECOT_BINARIES.find((path) => existsSync(path));
  if (!installed) throw new Error(`dovecot is not installed and ${SETUP_SCRIPT} could not install it`);
  return installed;
}

function doveadmBinary(): string {
  return DOVEADM_BINARIES.find((path) => existsSync(path)) ?? 'doveadm';
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
