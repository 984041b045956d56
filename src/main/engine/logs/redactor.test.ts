import { describe, expect, it } from 'vitest';
import { createRedactor } from './redactor';

describe('createRedactor', () => {
  it('hides every occurrence of each secret, naming its key', () => {
    const redact = createRedactor({ API_TOKEN: 's3cr3t-token', DB_PASSWORD: 'hunter2' });
    expect(redact('token=s3cr3t-token pw=hunter2 again s3cr3t-token')).toBe(
      'token=[secret API_TOKEN] pw=[secret DB_PASSWORD] again [secret API_TOKEN]',
    );
  });

  it('hides a secret that contains another one whole', () => {
    const redact = createRedactor({ SHORT: 'abc', LONG: 'xxabcxx' });
    expect(redact('v=xxabcxx w=abc')).toBe('v=[secret LONG] w=[secret SHORT]');
  });

  it('leaves text alone when there are no secrets', () => {
    expect(createRedactor({ EMPTY: '' })('nothing to hide')).toBe('nothing to hide');
  });

  const PEM = [
    '-----BEGIN PRIVATE KEY-----',
    'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj',
    'MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu',
    'Zw==',
    '-----END PRIVATE KEY-----',
  ].join('\n');

  it('hides every line of a multi-line secret when it is written a line at a time', () => {
    const redact = createRedactor({ TLS_KEY: PEM });
    const written = PEM.split('\n').map((line) => redact(`#5 0.21 ${line}`));
    expect(written.join('\n')).not.toMatch(/MIIEvQ|MzEfYy|PRIVATE KEY/);
    expect(written[1]).toBe('#5 0.21 [secret TLS_KEY]');
  });

  it('hides the lines of a secret written with Windows line ends or indented', () => {
    const redact = createRedactor({ TLS_KEY: PEM.replaceAll('\n', '\r\n') });
    expect(redact(`    ${PEM.split('\n')[2]!}\r`)).toBe('    [secret TLS_KEY]\r');
  });

  it('hides a multi-line secret whole where it appears whole', () => {
    const redact = createRedactor({ TLS_KEY: PEM });
    expect(redact(`key=${PEM}; done`)).toBe('key=[secret TLS_KEY]; done');
  });

  it('does not let the short or empty lines of a multi-line secret hide ordinary text', () => {
    const redact = createRedactor({ CONFIG: '{\n  "a": 1,\n\n}\nlong-enough-secret-line\n' });
    expect(redact('{ "a": 1, "b": [] }')).toBe('{ "a": 1, "b": [] }');
    expect(redact('see long-enough-secret-line')).toBe('see [secret CONFIG]');
  });
});
