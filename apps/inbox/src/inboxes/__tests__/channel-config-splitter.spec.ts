import { ChannelConfigSplitter } from '../channel-config-splitter';

describe(ChannelConfigSplitter.name, () => {
  it('moves secrets at any depth out of the settings, named by their dotted path', () => {
    const sut = ChannelConfigSplitter.split({
      imap: { host: 'imap.example.org', port: 993, user: 'support', password: 'imap-pass' },
      smtp: { host: 'smtp.example.org', password: 'smtp-pass' },
      address: 'support@example.org',
    });
    expect(sut.secrets).toEqual({ 'imap.password': 'imap-pass', 'smtp.password': 'smtp-pass' });
    expect(JSON.stringify(sut.settings)).not.toContain('pass');
    expect(sut.settings).toEqual({ imap: { host: 'imap.example.org', port: 993, user: 'support' }, smtp: { host: 'smtp.example.org' }, address: 'support@example.org' });
  });

  it('recognizes token, secret and api key names; keeps non-string values as settings', () => {
    const sut = ChannelConfigSplitter.split({ botToken: '123:abc', identitySecret: 's3', apiKey: 'k', tokenTtlSeconds: 60, mode: 'webhook' });
    expect(sut.secrets).toEqual({ botToken: '123:abc', identitySecret: 's3', apiKey: 'k' });
    expect(sut.settings).toEqual({ tokenTtlSeconds: 60, mode: 'webhook' });
  });

  it('passes null for a secret on as a removal', () => {
    expect(ChannelConfigSplitter.split({ botToken: null }).secrets).toEqual({ botToken: null });
  });

  it('merges settings key by key, null removing a key', () => {
    const merged = ChannelConfigSplitter.merge({ imap: { host: 'a', port: 993 }, fromName: 'Shop' }, { imap: { host: 'b' }, fromName: null });
    expect(merged).toEqual({ imap: { host: 'b', port: 993 } });
  });
});
