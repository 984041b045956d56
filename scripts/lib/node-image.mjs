// node:<major>-<debian>-slim from this machine's node and npm.
import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { addWithLibraries, baseRootfs, scratchDockerfile, versionTags } from './base-rootfs.mjs';
import { commandOutput, exists, findOnPath, parseVersion } from './host-tools.mjs';
import { addHostPath, addHostTree } from './image-rootfs.mjs';

// As in the official image: uid and gid 1000, for apps that should not run as root.
const NODE_USER = { name: 'node', uid: 1000, home: '/home/node' };

/** The node image's recipe, or why this machine cannot make one. */
export async function nodeImageRecipe({ busybox, codename }) {
  const node = await findOnPath('node');
  if (!node) return { key: 'node', skipped: "no node on PATH: install Debian's nodejs" };
  const binary = await realpath(node);
  const version = parseVersion(await commandOutput(binary, ['--version']));
  if (!version) return { key: 'node', skipped: `${binary} --version did not print a version` };
  const { rootfs, notes } = await baseRootfs({ busybox, users: [NODE_USER] });
  const missing = await addWithLibraries(rootfs, [binary]);
  if (missing.size > 0)
    return { key: 'node', skipped: `${binary} needs ${[...missing.values()].flat().join(', ')}, not found` };
  await addHostPath(rootfs, node);

  const npmRoot = path.join(path.dirname(path.dirname(binary)), 'lib', 'node_modules', 'npm');
  let npmVersion = null;
  if (await exists(path.join(npmRoot, 'package.json'))) {
    npmVersion = JSON.parse(await readFile(path.join(npmRoot, 'package.json'), 'utf8')).version;
    await addHostTree(rootfs, npmRoot);
    for (const name of ['npm', 'npx']) {
      const bin = path.join(path.dirname(node), name);
      if (await exists(bin)) await addHostPath(rootfs, bin);
    }
  } else {
    notes.push(`no npm (no ${npmRoot}): install Debian's npm`);
  }
  const checks = [{ cmd: ['node', '-e', 'console.log(process.version)'], expect: `v${version.full}` }];
  if (npmVersion) checks.push({ cmd: ['npm', '--version'], expect: npmVersion });
  return {
    key: 'node',
    tags: versionTags('node', version, `-${codename}-slim`),
    version: version.full,
    summary: `node ${version.full}${npmVersion ? `, npm ${npmVersion}` : ', no npm'}`,
    description: `Built offline by Slipway from this machine's node ${version.full}${npmVersion ? ` and npm ${npmVersion}` : ''}`,
    notes,
    rootfs,
    dockerfile: scratchDockerfile({
      runs: [['/bin/busybox', 'chown', '-R', '1000:1000', NODE_USER.home]],
      env: { NODE_VERSION: version.full },
      cmd: ['node'],
    }),
    checks,
  };
}
