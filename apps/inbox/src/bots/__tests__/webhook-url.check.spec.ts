import { webhookUrlProblem, type HostResolver } from '../webhook-url.check';

/** Public names cannot resolve on this network, so the resolver is a table here; the delivery-time check has its own tests on real sockets. */
describe('webhookUrlProblem', () => {
  const table: Record<string, string[]> = {
    'bot.example.com': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
    'intranet.example.com': ['10.0.0.5'],
    'mixed.example.com': ['93.184.216.34', '192.168.1.20'],
    'metadata.example.com': ['169.254.169.254'],
    'v6-loopback.example.com': ['::1'],
    'mapped.example.com': ['::ffff:127.0.0.1'],
  };
  const resolve: HostResolver = async (host) => {
    const addresses = table[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses;
  };

  it('accepts a name that resolves to public addresses only, and public literals', async () => {
    expect(await webhookUrlProblem('https://bot.example.com/hook', false, resolve)).toBeNull();
    expect(await webhookUrlProblem('http://93.184.216.34:8080/hook', false, resolve)).toBeNull();
  });

  it('refuses a name that resolves to this host, a private network or a metadata address, naming the address', async () => {
    for (const [host, address] of [
      ['intranet.example.com', '10.0.0.5'],
      ['mixed.example.com', '192.168.1.20'],
      ['metadata.example.com', '169.254.169.254'],
      ['v6-loopback.example.com', '::1'],
      ['mapped.example.com', '::ffff:127.0.0.1'],
    ]) {
      expect(await webhookUrlProblem(`https://${host}/hook`, false, resolve)).toBe(`must be a public address (this host and private networks are refused): ${host} resolves to ${address}`);
    }
  });

  it('refuses local names and private literals without resolving them, and other schemes', async () => {
    const never: HostResolver = async () => {
      throw new Error('must not be asked');
    };
    for (const url of ['http://localhost:3000/hook', 'http://api.localhost/hook', 'http://127.0.0.1/hook', 'http://[::1]/hook', 'http://10.1.2.3/hook']) {
      expect(await webhookUrlProblem(url, false, never)).toBe('must be a public address (this host and private networks are refused)');
    }
    expect(await webhookUrlProblem('ftp://bot.example.com/hook', false, resolve)).toBe('must be an http or https URL');
  });

  it('accepts a name that does not resolve now, or not in time (each delivery resolves and checks it again)', async () => {
    expect(await webhookUrlProblem('https://not-yet-deployed.example.com/hook', false, resolve)).toBeNull();
    const slow: HostResolver = () => new Promise((done) => setTimeout(() => done(['10.0.0.1']), 1000));
    expect(await webhookUrlProblem('https://slow.example.com/hook', false, slow, 50)).toBeNull();
  });

  it('allows anything http(s) when private networks are allowed', async () => {
    expect(await webhookUrlProblem('https://intranet.example.com/hook', true, resolve)).toBeNull();
    expect(await webhookUrlProblem('http://127.0.0.1:4000/hook', true, resolve)).toBeNull();
    expect(await webhookUrlProblem('file:///etc/passwd', true, resolve)).toBe('must be an http or https URL');
  });
});
