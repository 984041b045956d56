// What every offline image has besides its program: busybox as /bin/sh and the usual tools,
// users, /tmp, and Debian's CA certificates.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { exists } from './host-tools.mjs';
import { addDir, addFile, addHostPath, addLink, createRootfs } from './image-rootfs.mjs';
import { sharedLibraries } from './shared-libraries.mjs';

// The bundle as Debian's ca-certificates package ships it, not the host's local additions.
const MOZILLA_CERTS = '/usr/share/ca-certificates/mozilla';

const ROOT_USER = { name: 'root', uid: 0, home: '/root' };
const NOBODY = { name: 'nobody', uid: 65534, home: '/nonexistent', group: 'nogroup' };

/** /etc/passwd and /etc/group lines for the users, root and nobody included. */
export function passwdFiles(users) {
  const all = [ROOT_USER, ...users, NOBODY];
  return {
    passwd: all.map((u) => `${u.name}:x:${u.uid}:${u.uid}:${u.name}:${u.home}:/bin/sh\n`).join(''),
    group: all.map((u) => `${u.group ?? u.name}:x:${u.uid}:\n`).join(''),
  };
}

/** A tree with busybox, users (root, nobody and `users`), /tmp and CA certificates; `notes` says what is missing. */
export async function baseRootfs({ busybox, users = [] }) {
  const rootfs = createRootfs();
  const notes = [];
  const bin = await addHostPath(rootfs, '/bin');
  addFile(rootfs, path.join(bin, 'busybox'), { source: busybox, mode: 0o755 });
  const { passwd, group } = passwdFiles(users);
  addFile(rootfs, '/etc/passwd', { content: passwd });
  addFile(rootfs, '/etc/group', { content: group });
  addDir(rootfs, '/tmp', 0o1777);
  addDir(rootfs, '/root', 0o700);
  for (const user of users) addDir(rootfs, user.home);
  if (await exists(MOZILLA_CERTS)) {
    const names = (await readdir(MOZILLA_CERTS)).filter((name) => name.endsWith('.crt')).sort();
    const bundle = (await Promise.all(names.map((name) => readFile(path.join(MOZILLA_CERTS, name), 'utf8')))).join('');
    addFile(rootfs, '/etc/ssl/certs/ca-certificates.crt', { content: bundle });
    // OpenSSL looks under its compiled-in directory, which Debian points at /etc/ssl.
    addLink(rootfs, '/usr/lib/ssl/cert.pem', '/etc/ssl/certs/ca-certificates.crt');
    addLink(rootfs, '/usr/lib/ssl/certs', '/etc/ssl/certs');
    if (await exists('/etc/ssl/openssl.cnf')) {
      await addHostPath(rootfs, '/etc/ssl/openssl.cnf');
      addLink(rootfs, '/usr/lib/ssl/openssl.cnf', '/etc/ssl/openssl.cnf');
    }
  } else {
    notes.push("no CA certificates (install Debian's ca-certificates)");
  }
  return { rootfs, notes };
}

/** Adds the programs and every library (and the dynamic loader) ldd names for them; returns what ldd could not find, per file. */
export async function addWithLibraries(rootfs, files) {
  const missing = new Map();
  for (const [file, needs] of await sharedLibraries(files)) {
    if (needs.missing.length > 0) {
      missing.set(file, needs.missing);
      continue;
    }
    await addHostPath(rootfs, file);
    for (const library of needs.libraries) await addHostPath(rootfs, library);
  }
  return missing;
}

/** A FROM scratch Dockerfile over the `rootfs/` folder; busybox links its applets first (exec form: no shell before). */
export function scratchDockerfile({ env = {}, workdir = '/', expose = [], cmd, runs = [] }) {
  const envLine = Object.entries(env)
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
    .join(' ');
  return [
    'FROM scratch',
    'COPY rootfs/ /',
    'RUN ["/bin/busybox", "--install", "-s", "/bin"]',
    ...runs.map((argv) => `RUN ${JSON.stringify(argv)}`),
    ...(envLine ? [`ENV ${envLine}`] : []),
    `WORKDIR ${workdir}`,
    ...(expose.length > 0 ? [`EXPOSE ${expose.join(' ')}`] : []),
    `CMD ${JSON.stringify(cmd)}`,
    '',
  ].join('\n');
}

/** The image tags for a version: each of `major`, `major.minor`, `full` with the suffix, all versions the image holds. */
export function versionTags(repository, version, suffix) {
  return [version.major, version.minor, version.full].map((v) => `${repository}:${v}${suffix}`);
}
