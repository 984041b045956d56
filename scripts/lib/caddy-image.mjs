// caddy:2 from Debian's caddy, laid out and started as the official image is.
import { readFile } from 'node:fs/promises';
import { addWithLibraries, baseRootfs, scratchDockerfile, versionTags } from './base-rootfs.mjs';
import { commandOutput, exists, parseVersion } from './host-tools.mjs';
import { addDir, addFile, addHostPath } from './image-rootfs.mjs';

const CADDY = '/usr/bin/caddy';
const WELCOME_PAGE = '/usr/share/caddy/index.html';

// The official image's default config, comments aside: serve /usr/share/caddy on port 80.
const DEFAULT_CADDYFILE = [':80 {', '\troot * /usr/share/caddy', '\tfile_server', '}', ''].join('\n');

/** The caddy image's recipe, or why this machine cannot make one. */
export async function caddyImageRecipe({ busybox }) {
  if (!(await exists(CADDY))) return { key: 'caddy', skipped: "no /usr/bin/caddy: install Debian's caddy" };
  const output = await commandOutput(CADDY, ['version']);
  const version = parseVersion(output);
  if (!version) return { key: 'caddy', skipped: `caddy version printed no version (${output})` };
  if (version.major !== '2') return { key: 'caddy', skipped: `caddy ${version.full} is not 2.x: not tagged caddy:2` };

  const { rootfs, notes } = await baseRootfs({ busybox, users: [] });
  const missing = await addWithLibraries(rootfs, [CADDY]);
  if (missing.size > 0) return { key: 'caddy', skipped: `${CADDY} needs ${[...missing.values()].flat().join(', ')}` };
  await addHostPath(rootfs, CADDY);
  addFile(rootfs, '/etc/caddy/Caddyfile', { content: DEFAULT_CADDYFILE });
  const welcome = (await exists(WELCOME_PAGE))
    ? await readFile(WELCOME_PAGE)
    : `<!doctype html><title>Caddy works!</title><p>Caddy ${version.full}, built offline by Slipway.</p>\n`;
  addFile(rootfs, WELCOME_PAGE, { content: welcome });
  for (const dir of ['/config/caddy', '/data/caddy', '/srv']) addDir(rootfs, dir);
  return {
    key: 'caddy',
    tags: versionTags('caddy', version, ''),
    version: version.full,
    summary: `caddy ${version.full}`,
    description: `Built offline by Slipway from this machine's caddy ${version.full}`,
    notes,
    rootfs,
    dockerfile: scratchDockerfile({
      env: { CADDY_VERSION: `v${version.full}`, XDG_CONFIG_HOME: '/config', XDG_DATA_HOME: '/data' },
      workdir: '/srv',
      expose: ['80', '443', '443/udp', '2019'],
      cmd: ['caddy', 'run', '--config', '/etc/caddy/Caddyfile', '--adapter', 'caddyfile'],
    }),
    checks: [{ cmd: ['caddy', 'version'], expect: output }],
  };
}
