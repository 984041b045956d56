import { describe, expect, it } from 'vitest';
import { appsContract } from './domains/apps';
import {
  deployLogHeading,
  deployTitle,
  deploymentDescription,
  deploymentTitle,
  displayTitle,
} from './deployment-title';

const deployInput = appsContract.deploy.request;

describe('deployment title and description bounds', () => {
  it('takes any script up to 200 characters, counted as characters', () => {
    expect(deploymentTitle.safeParse('Größe ✓ 日本語 🚀 <b>x</b>').success).toBe(true);
    // 200 emoji are 400 UTF-16 units, still 200 characters.
    expect(deploymentTitle.safeParse('🚀'.repeat(200)).success).toBe(true);
    expect(deploymentTitle.safeParse('a'.repeat(200)).success).toBe(true);
    expect(deploymentTitle.safeParse('a'.repeat(201)).success).toBe(false);
  });

  it('refuses an empty title and control characters in it, newline included', () => {
    for (const bad of ['', '   ', 'a\nb', 'a\tb', 'a\u001b[31mb', 'a\u007fb', 'a\u009bb']) {
      expect(deploymentTitle.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('lets a description hold newlines, up to 2000 characters, and no other control', () => {
    expect(deploymentDescription.safeParse('line 1\nline 2\n\n— ünïcode').success).toBe(true);
    expect(deploymentDescription.safeParse('x'.repeat(2000)).success).toBe(true);
    expect(deploymentDescription.safeParse('x'.repeat(2001)).success).toBe(false);
    for (const bad of ['a\rb', 'a\tb', 'a\u0000b', 'a\u001bb']) {
      expect(deploymentDescription.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it("names the field in the deploy request's error", () => {
    const long = deployInput.safeParse({ app: 'shop', title: 'a'.repeat(201) });
    expect(long.success).toBe(false);
    expect(long.error?.issues[0]).toMatchObject({ path: ['title'], message: 'must be at most 200 characters' });
    const controls = deployInput.safeParse({ app: 'shop', description: 'a\u001bb' });
    expect(controls.error?.issues[0]?.path).toEqual(['description']);
    expect(deployInput.safeParse({ app: 'shop', title: 'Fix', description: 'why' }).success).toBe(true);
  });
});

describe('deployTitle', () => {
  it('keeps the given title, else names a deploy or a rebuild after Dokploy', () => {
    expect(deployTitle('  Ship it ', 'deploy')).toBe('Ship it');
    expect(deployTitle(undefined, 'deploy')).toBe('Manual deployment');
    expect(deployTitle('', 'rebuild')).toBe('Rebuild deployment');
  });

  it('shows the cause of a deployment recorded before titles', () => {
    expect(displayTitle({ cause: 'manual' })).toBe('manual');
    expect(displayTitle({ cause: 'manual', title: 'Manual deployment' })).toBe('Manual deployment');
  });
});

describe('deployLogHeading', () => {
  it('is the title alone, or "title: first line" with the other lines indented', () => {
    expect(deployLogHeading('Manual deployment', undefined)).toEqual(['Manual deployment']);
    expect(deployLogHeading('Manual deployment', '\n  \n')).toEqual(['Manual deployment']);
    expect(deployLogHeading('Fix', 'login works again')).toEqual(['Fix: login works again']);
    expect(deployLogHeading('Fix', '\nfirst\nsecond\n\nthird\n')).toEqual(['Fix: first', '  second', '  ', '  third']);
  });
});
