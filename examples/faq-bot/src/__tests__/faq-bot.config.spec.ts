import { DEFAULT_PORT, readFaqBotConfig } from '../faq-bot.config';

const valid = {
  SWITCHBOARD_URL: 'http://localhost:3000',
  BOT_TOKEN: 'sbb_token',
  WEBHOOK_SECRET: 'whsec',
  PORT: '4100',
};

describe(readFaqBotConfig.name, () => {
  it('reads a complete environment', () => {
    expect(readFaqBotConfig(valid)).toEqual({
      switchboardUrl: 'http://localhost:3000',
      botToken: 'sbb_token',
      webhookSecret: 'whsec',
      port: 4100,
    });
  });

  it('uses the default port when PORT is not set', () => {
    expect(readFaqBotConfig({ ...valid, PORT: undefined }).port).toBe(DEFAULT_PORT);
  });

  it('names every missing variable at once', () => {
    expect(() => readFaqBotConfig({})).toThrow(
      /SWITCHBOARD_URL is required[\s\S]*BOT_TOKEN is required[\s\S]*WEBHOOK_SECRET is required/,
    );
  });

  it.each([
    [{ SWITCHBOARD_URL: 'localhost:3000' }, /SWITCHBOARD_URL must be an http\(s\) URL/],
    [{ SWITCHBOARD_URL: 'ftp://example.com' }, /SWITCHBOARD_URL must be an http\(s\) URL/],
    [{ PORT: 'eighty' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT must be a whole number/],
    [{ PORT: '0' }, /PORT must be a whole number/],
    [{ WEBHOOK_SECRET: '   ' }, /WEBHOOK_SECRET is required/],
  ])('refuses %p', (override, message) => {
    expect(() => readFaqBotConfig({ ...valid, ...override })).toThrow(message);
  });

  it('never repeats a secret in its message', () => {
    expect(() => readFaqBotConfig({ ...valid, PORT: 'x', BOT_TOKEN: 'sbb_supersecret' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('supersecret') }),
    );
  });
});
