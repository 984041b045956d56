import { describe, expect, it } from 'vitest';
import { SlipwayError } from '../../../shared/errors';
import { EDGE_FORM_DEFAULTS, edgeFormProblems, edgeRequest, refusedField } from './edge-form';

describe('the enable-edge form', () => {
  const form = {
    ...EDGE_FORM_DEFAULTS,
    httpPort: '8080',
    httpsPort: '8443',
    bind: '127.0.0.1',
    tls: 'internal' as const,
  };

  it('sends numbers, and an ACME email only with ACME', () => {
    expect(edgeRequest({ ...form, acmeEmail: 'ops@example.test' })).toEqual({
      httpPort: 8080,
      httpsPort: 8443,
      bind: '127.0.0.1',
      tls: 'internal',
    });
    expect(edgeRequest({ ...form, tls: 'acme', acmeEmail: ' ops@example.test ' }).acmeEmail).toBe('ops@example.test');
    expect(edgeRequest({ ...form, tls: 'acme' })).not.toHaveProperty('acmeEmail');
  });

  it('names the field that is wrong before anything is sent', () => {
    expect(edgeFormProblems(form)).toEqual({});
    expect(edgeFormProblems({ ...form, httpPort: '0' })).toHaveProperty('httpPort');
    expect(edgeFormProblems({ ...form, httpPort: '70000' })).toHaveProperty('httpPort');
    expect(edgeFormProblems({ ...form, httpsPort: '8080' }).httpsPort).toMatch(/differ/);
    expect(edgeFormProblems({ ...form, bind: ' ' })).toHaveProperty('bind');
    expect(edgeFormProblems({ ...form, tls: 'acme', acmeEmail: 'nope' })).toHaveProperty('acmeEmail');
  });

  it("puts the engine's EDGE_PORT_IN_USE at the port it names", () => {
    const refused = (port: number) => new SlipwayError('EDGE_PORT_IN_USE', 'taken', { port, bind: '127.0.0.1' });
    expect(refusedField(refused(8080), form)).toBe('httpPort');
    expect(refusedField(refused(8443), form)).toBe('httpsPort');
    expect(refusedField(refused(9999), form)).toBeNull();
    expect(refusedField(new SlipwayError('EDGE_FAILED', 'no'), form)).toBeNull();
  });
});
