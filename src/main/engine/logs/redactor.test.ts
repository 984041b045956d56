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
});
