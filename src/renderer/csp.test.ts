/// <reference types="vite/client" />
// Imported through Vite rather than node:fs: the layer rule keeps Node out of src/renderer, tests included.
import indexHtml from './index.html?raw';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../shared/content-security-policy';

function metaPolicies(html: string): string[] {
  const doc = [...html.matchAll(/<meta\b[^>]*>/gis)].map((match) => match[0]);
  return doc
    .filter((tag) => /http-equiv\s*=\s*["']Content-Security-Policy["']/i.test(tag))
    .map((tag) => {
      const content = /\bcontent\s*=\s*"([^"]*)"/i.exec(tag);
      if (!content) throw new Error(`CSP meta tag without a double-quoted content attribute: ${tag}`);
      return content[1]!;
    });
}

describe('renderer index.html', () => {
  it('carries exactly the shared Content-Security-Policy, once', () => {
    expect(metaPolicies(indexHtml)).toEqual([CONTENT_SECURITY_POLICY]);
  });

  it('puts the policy before any script, so it governs all of them', () => {
    const policyAt = indexHtml.search(/http-equiv\s*=\s*["']Content-Security-Policy/i);
    const firstScriptAt = indexHtml.search(/<script\b/i);
    expect(policyAt).toBeGreaterThan(-1);
    expect(firstScriptAt === -1 || policyAt < firstScriptAt).toBe(true);
  });
});
