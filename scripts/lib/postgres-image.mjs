// postgres:15 from Debian's PostgreSQL 15, initialised and started as the official image is.
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { addWithLibraries, baseRootfs, scratchDockerfile } from './base-rootfs.mjs';
import { commandOutput, exists } from './host-tools.mjs';
import { addDir, addHostPath, addHostTree } from './image-rootfs.mjs';
import { addEntrypoint, withEntrypoint } from './server-entrypoint.mjs';

const PG_MAJOR = '15';
const BIN_DIR = `/usr/lib/postgresql/${PG_MAJOR}/bin`;
const LIB_DIR = `/usr/lib/postgresql/${PG_MAJOR}/lib`;
const SHARE_DIR = `/usr/share/postgresql/${PG_MAJOR}`;
const PROGRAMS = ['postgres', 'initdb', 'pg_ctl', 'pg_isready', 'psql', 'createdb', 'pg_dump', 'pg_restore'];
// initdb asks `locale -a` which collations to create; glibc's own program, so the image's answer is true.
const LOCALE = '/usr/bin/locale';
// Debian's build reads the system's time zones; initdb and every TimeZone setting need them.
const ZONEINFO = '/usr/share/zoneinfo';
// initdb --locale=C.UTF-8 needs the compiled locale; glibc has none built in.
const C_UTF8 = '/usr/lib/locale/C.utf8';
const PGDATA = '/var/lib/postgresql/data';
// As in the official image, so volumes move between it and this one.
const POSTGRES_USER = { name: 'postgres', uid: 999, home: '/var/lib/postgresql' };
// llvmjit pulls in libLLVM (over 100 MB) for a speed-up Slipway's apps do not need: JIT stays off.
const SKIPPED_MODULES = new Set(['llvmjit.so']);

/** `15.18` from `postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)`, or null. */
export function parsePostgresVersion(output) {
  const match = /\(PostgreSQL\) (\d+)\.(\d+)\b/.exec(output);
  return match ? { major: match[1], full: `${match[1]}.${match[2]}` } : null;
}

/** The postgres image's recipe, or why this machine cannot make one. */
export async function postgresImageRecipe({ busybox, codename }) {
  const postgres = path.join(BIN_DIR, 'postgres');
  if (!(await exists(postgres)))
    return { key: 'postgres', skipped: `no ${postgres}: install Debian's postgresql-${PG_MAJOR}` };
  const output = await commandOutput(postgres, ['--version']);
  const version = parsePostgresVersion(output);
  if (!version) return { key: 'postgres', skipped: `postgres --version printed no version (${output})` };
  if (version.major !== PG_MAJOR)
    return {
      key: 'postgres',
      skipped: `postgres ${version.full} is not ${PG_MAJOR}.x: not tagged postgres:${PG_MAJOR}`,
    };
  for (const needed of [SHARE_DIR, ZONEINFO, C_UTF8])
    if (!(await exists(needed)))
      return { key: 'postgres', skipped: `no ${needed}: reinstall Debian's postgresql-${PG_MAJOR}` };

  const { rootfs, notes } = await baseRootfs({ busybox, users: [POSTGRES_USER] });
  const programs = [];
  for (const name of PROGRAMS) if (await exists(path.join(BIN_DIR, name))) programs.push(path.join(BIN_DIR, name));
  if (await exists(LOCALE)) programs.push(LOCALE);
  const missing = await addWithLibraries(rootfs, programs);
  if (missing.size > 0)
    return {
      key: 'postgres',
      skipped: `${[...missing.keys()].join(', ')} need ${[...missing.values()].flat().join(', ')}`,
    };
  await addHostPath(rootfs, path.join(BIN_DIR, 'postmaster'));

  // Loadable modules: plpgsql and the text-search dictionaries initdb installs, and the contrib extensions.
  const modules = (await readdir(LIB_DIR))
    .filter((name) => name.endsWith('.so') && !SKIPPED_MODULES.has(name))
    .map((name) => path.join(LIB_DIR, name));
  const unusable = await addWithLibraries(rootfs, modules);
  for (const [file, needs] of unusable) notes.push(`${path.basename(file)} left out: needs ${needs.join(', ')}`);
  if (unusable.has(path.join(LIB_DIR, 'plpgsql.so')) || unusable.has(path.join(LIB_DIR, 'dict_snowball.so')))
    return { key: 'postgres', skipped: 'plpgsql.so or dict_snowball.so cannot load: initdb would fail' };
  await addHostTree(rootfs, SHARE_DIR, (rel) => rel === 'man');
  await addHostTree(rootfs, ZONEINFO);
  await addHostTree(rootfs, C_UTF8);
  addDir(rootfs, PGDATA, 0o1777);
  addDir(rootfs, '/var/run/postgresql', 0o3777);
  addEntrypoint(rootfs, await readFile(new URL('./postgres-entrypoint.sh', import.meta.url), 'utf8'));

  const uid = String(POSTGRES_USER.uid);
  return {
    key: 'postgres',
    // `-<codename>`: the official image's Debian variant, which this is (Debian's own build on it).
    tags: [version.major, version.full].flatMap((v) => [`postgres:${v}`, `postgres:${v}-${codename}`]),
    version: version.full,
    summary: `PostgreSQL ${version.full}`,
    description: `Built offline by Slipway from this machine's PostgreSQL ${version.full} (${output})`,
    notes,
    rootfs,
    dockerfile: withEntrypoint(
      scratchDockerfile({
        runs: [
          ['/bin/busybox', 'chown', '-R', `${uid}:${uid}`, POSTGRES_USER.home, '/var/run/postgresql'],
          ['/bin/busybox', 'chmod', '3777', '/var/run/postgresql'],
          ['/bin/busybox', 'chmod', '1777', PGDATA],
        ],
        env: {
          PG_MAJOR,
          PG_VERSION: version.full,
          PATH: `/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:${BIN_DIR}`,
          LANG: 'C.UTF-8',
          PGDATA,
        },
        expose: ['5432'],
        cmd: ['postgres'],
      }),
      { volumes: [PGDATA], stopSignal: 'SIGINT' },
    ),
    checks: [
      { cmd: ['postgres', '--version'], expect: output },
      { cmd: ['psql', '--version'], expect: `psql (PostgreSQL) ${version.full}` },
    ],
  };
}
