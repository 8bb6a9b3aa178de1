import { SecretMasker } from '../secret-masker';

describe(SecretMasker.name, () => {
  it('masks raw, URL-encoded and JSON-escaped forms of every secret, longest first', () => {
    const sut = new SecretMasker();
    sut.add(['p@ss word/1', 'abc', 'abc"def']);

    expect(sut.maskString('login p@ss word/1 then p%40ss%20word%2F1')).toBe('login *** then ***');
    expect(sut.maskString(JSON.stringify({ x: 'abc"def' }))).toBe('{"x":"***"}');
    expect(sut.maskString('xabcx')).toBe('x***x');
  });

  it('masks at any depth of a copy, including errors, their causes and map keys, without touching the original', () => {
    const sut = new SecretMasker();
    sut.add(['s3cr3t']);
    const cause = new Error('inner s3cr3t');
    const original = {
      list: ['a s3cr3t', 1, null],
      error: Object.assign(new Error('outer s3cr3t', { cause }), { url: 'https://x/s3cr3t' }),
      map: new Map([['s3cr3t', 's3cr3t']]),
      buffer: Buffer.from('token=s3cr3t'),
    };

    const masked = JSON.stringify(sut.mask(original));

    expect(masked).not.toContain('s3cr3t');
    expect(masked).toContain('outer ***');
    expect(masked).toContain('inner ***');
    expect(masked).toContain('https://x/***');
    expect(masked).toContain('token=***');
    expect(original.list[0]).toBe('a s3cr3t');
  });

  it('survives cycles and ignores empty secrets', () => {
    const sut = new SecretMasker();
    sut.add(['', 'k']);
    const cyclic: Record<string, unknown> = { name: 'k' };
    cyclic.self = cyclic;

    expect(sut.mask(cyclic)).toEqual({ name: '***', self: '[Circular]' });
    expect(sut.size).toBe(1);
  });
});
