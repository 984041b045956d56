import { describe, expect, it } from 'vitest';
import { renameSpec, specForApp } from './app-name';

const SPEC =
  '# the shop\nname: HD117\nservices:\n  - name: web # the site\n    image: { registry_type: DOCKER_HUB, repository: nginx }\n';

describe('renameSpec', () => {
  it('changes only the top-level name, keeping comments', () => {
    const renamed = renameSpec(SPEC, 'shop');
    expect(renamed).toMatch(/^name: shop$/m);
    expect(renamed).toContain('# the shop');
    expect(renamed).toContain('- name: web # the site');
  });
});

describe('specForApp', () => {
  it('keeps a spec of the same name, renames the one the app was created from, refuses another', () => {
    expect(specForApp({ name: 'hd117' }, SPEC, 'hd117', 'app.yaml')).toBe(SPEC);
    expect(specForApp({ name: 'shop', specName: 'hd117' }, SPEC, 'hd117', 'app.yaml')).toMatch(/^name: shop$/m);
    expect(() => specForApp({ name: 'shop', specName: 'blog' }, SPEC, 'hd117', 'app.yaml')).toThrow(
      'name: app.yaml names hd117, but this is shop; an app cannot be renamed.',
    );
  });
});
