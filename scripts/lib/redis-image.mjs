// redis:7 from Debian's redis-server, laid out and started as the official image is.
import { readFile } from 'node:fs/promises';
import { addWithLibraries, baseRootfs, scratchDockerfile, versionTags } from './base-rootfs.mjs';
import { commandOutput, exists } from './host-tools.mjs';
import { addHostPath } from './image-rootfs.mjs';
import { addEntrypoint, withEntrypoint } from './server-entrypoint.mjs';

const REDIS_SERVER = '/usr/bin/redis-server';
const REDIS_CLI = '/usr/bin/redis-cli';
// Debian's redis-server is a link to redis-check-rdb (one binary, named by argv[0]); -aof is a copy.
const CHECKERS = ['/usr/bin/redis-check-rdb', '/usr/bin/redis-check-aof'];
// As in the official image; /data, its home, is where redis-server writes its dumps and AOF.
const REDIS_USER = { name: 'redis', uid: 999, home: '/data' };

/** `7.0.15` from `Redis server v=7.0.15 sha=… malloc=…`, or null. */
export function parseRedisVersion(output) {
  const match = /\bv=(\d+)\.(\d+)\.(\d+)/.exec(output);
  return match
    ? { full: `${match[1]}.${match[2]}.${match[3]}`, major: match[1], minor: `${match[1]}.${match[2]}` }
    : null;
}

/** The redis image's recipe, or why this machine cannot make one. */
export async function redisImageRecipe({ busybox }) {
  if (!(await exists(REDIS_SERVER)))
    return { key: 'redis', skipped: "no /usr/bin/redis-server: install Debian's redis-server" };
  if (!(await exists(REDIS_CLI)))
    return { key: 'redis', skipped: "no /usr/bin/redis-cli: install Debian's redis-tools" };
  const output = await commandOutput(REDIS_SERVER, ['--version']);
  const version = parseRedisVersion(output);
  if (!version) return { key: 'redis', skipped: `redis-server --version printed no version (${output})` };
  if (version.major !== '7') return { key: 'redis', skipped: `redis ${version.full} is not 7.x: not tagged redis:7` };

  const { rootfs, notes } = await baseRootfs({ busybox, users: [REDIS_USER] });
  const programs = [REDIS_CLI];
  for (const checker of CHECKERS) if (await exists(checker)) programs.push(checker);
  const missing = await addWithLibraries(rootfs, programs);
  if (missing.size > 0)
    return {
      key: 'redis',
      skipped: `${[...missing.keys()].join(', ')} need ${[...missing.values()].flat().join(', ')}`,
    };
  await addHostPath(rootfs, REDIS_SERVER);
  addEntrypoint(rootfs, await readFile(new URL('./redis-entrypoint.sh', import.meta.url), 'utf8'));

  const uid = String(REDIS_USER.uid);
  return {
    key: 'redis',
    tags: versionTags('redis', version, ''),
    version: version.full,
    summary: `redis ${version.full}`,
    description: `Built offline by Slipway from this machine's redis ${version.full}`,
    notes,
    rootfs,
    dockerfile: withEntrypoint(
      scratchDockerfile({
        runs: [['/bin/busybox', 'chown', `${uid}:${uid}`, REDIS_USER.home]],
        env: { REDIS_VERSION: version.full },
        workdir: '/data',
        expose: ['6379'],
        cmd: ['redis-server'],
      }),
      { volumes: ['/data'] },
    ),
    checks: [
      { cmd: ['redis-server', '--version'], expect: output },
      { cmd: ['redis-cli', '--version'], expect: `redis-cli ${version.full}` },
    ],
  };
}
