import { describe, expect, it } from 'vitest';
import { loadAppSpec } from '../../shared/spec/load-spec';
import { appNameFromRepo, gitAppSpec } from './git-spec';

describe('appNameFromRepo', () => {
  it('takes the repository name, made into an app name', () => {
    expect(appNameFromRepo('https://github.com/acme/shop.git')).toBe('shop');
    expect(appNameFromRepo('git@github.com:acme/Shop_API.git')).toBe('shop-api');
    expect(appNameFromRepo('file:///srv/git/2048-game/')).toBe('game');
    expect(appNameFromRepo('')).toBe('my-app');
  });
});

describe('gitAppSpec', () => {
  it('is a valid spec that builds the repository', () => {
    const yaml = gitAppSpec({
      url: 'https://git.example.com/acme/shop.git',
      branch: 'release',
      dockerfilePath: 'docker/Dockerfile',
      httpPort: 3000,
    });
    const { spec, errors } = loadAppSpec(yaml);
    expect(errors).toEqual([]);
    expect(spec?.name).toBe('shop');
    expect(spec?.components[0]).toMatchObject({
      name: 'web',
      source: { type: 'git', url: 'https://git.example.com/acme/shop.git', branch: 'release' },
      dockerfilePath: 'docker/Dockerfile',
    });
  });

  it('keeps a hostile URL inside its field', () => {
    const yaml = gitAppSpec({
      url: 'https://x.example/a.git"\nworkers:\n  - name: evil',
      branch: '',
      dockerfilePath: '',
      httpPort: 8080,
    });
    const { spec, errors } = loadAppSpec(yaml);
    // Refused for its URL, and the text never gains a component.
    expect(errors.length).toBeGreaterThan(0);
    expect(spec?.components.map((c) => c.name) ?? []).not.toContain('evil');
    expect(yaml.split('\n').filter((line) => line.startsWith('workers'))).toEqual([]);
  });
});
