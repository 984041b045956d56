// python:<major.minor>-slim-<debian> from Debian's python3 and its standard library.
import { readdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { addWithLibraries, baseRootfs, scratchDockerfile } from './base-rootfs.mjs';
import { commandOutput, exists, parseVersion } from './host-tools.mjs';
import { addHostPath, addHostTree, addLink } from './image-rootfs.mjs';

// Debian's, whatever PATH says (pyenv and the like put other pythons first).
const DEBIAN_PYTHON = '/usr/bin/python3';
const DIST_PACKAGES = '/usr/lib/python3/dist-packages';

// Test suites and build files an app never imports; EXTERNALLY-MANAGED would make pip refuse to install.
const SKIPPED_DIRS = new Set(['__pycache__', 'test', 'tests', 'idle_test', 'idlelib', 'tkinter', 'turtledemo']);
const SKIPPED_TOP = new Set(['EXTERNALLY-MANAGED', 'sitecustomize.py']);
const TEST_EXTENSIONS = /^(_test|_ctypes_test|_xxtestfuzz|xxlimited|_xxsubinterpreters)/;

/** True for standard-library paths the image leaves out (relative to /usr/lib/pythonX.Y). */
export function skipStdlibPath(relativePath, isDirectory) {
  const parts = relativePath.split('/');
  const name = parts[parts.length - 1];
  if (parts.length === 1 && (SKIPPED_TOP.has(name) || name.startsWith('config-'))) return true;
  if (isDirectory && SKIPPED_DIRS.has(name)) return true;
  return parts[0] === 'lib-dynload' && TEST_EXTENSIONS.test(name);
}

/** The python image's recipe, or why this machine cannot make one. */
export async function pythonImageRecipe({ busybox, codename }) {
  if (!(await exists(DEBIAN_PYTHON)))
    return { key: 'python', skipped: "no /usr/bin/python3: install Debian's python3" };
  const binary = await realpath(DEBIAN_PYTHON);
  const version = parseVersion(await commandOutput(binary, ['--version']));
  if (!version) return { key: 'python', skipped: `${binary} --version did not print a version` };
  const stdlib = `/usr/lib/python${version.minor}`;
  if (!(await exists(path.join(stdlib, 'os.py'))))
    return {
      key: 'python',
      skipped: `no standard library at ${stdlib}: install Debian's libpython${version.minor}-stdlib`,
    };

  const { rootfs, notes } = await baseRootfs({ busybox, users: [] });
  const missing = await addWithLibraries(rootfs, [binary]);
  if (missing.size > 0) return { key: 'python', skipped: `${binary} needs ${[...missing.values()].flat().join(', ')}` };
  await addHostPath(rootfs, DEBIAN_PYTHON);
  addLink(rootfs, path.join(path.dirname(DEBIAN_PYTHON), 'python'), 'python3');

  // An extension module whose libraries this machine lacks is left out (its import fails as it would here).
  const dynload = path.join(stdlib, 'lib-dynload');
  const extensions = (await readdir(dynload))
    .filter((name) => name.endsWith('.so') && !TEST_EXTENSIONS.test(name))
    .map((name) => path.join(dynload, name));
  const unusable = await addWithLibraries(rootfs, extensions);
  for (const file of unusable.keys())
    notes.push(`${path.basename(file)} left out: needs ${unusable.get(file).join(', ')}`);
  await addHostTree(
    rootfs,
    stdlib,
    (rel, dirent) => skipStdlibPath(rel, dirent.isDirectory()) || unusable.has(path.join(stdlib, rel)),
  );

  const pip = await addPip(rootfs, path.dirname(DEBIAN_PYTHON));
  if (!pip) notes.push("no pip (install Debian's python3-pip): builds can only use the standard library");
  const checks = [
    {
      cmd: ['python3', '-c', 'import http.server, json, ssl, sys; print(sys.version.split()[0])'],
      expect: version.full,
    },
    { cmd: ['python', '--version'], expect: `Python ${version.full}` },
  ];
  if (pip) checks.push({ cmd: ['pip', '--version'], expect: `pip ${pip}` });
  return {
    key: 'python',
    tags: [`python:${version.minor}-slim-${codename}`, `python:${version.full}-slim-${codename}`],
    version: version.full,
    summary: `python ${version.full}${pip ? `, pip ${pip}` : ', no pip'}`,
    description: `Built offline by Slipway from this machine's python ${version.full}${pip ? ` and pip ${pip}` : ''}`,
    notes,
    rootfs,
    dockerfile: scratchDockerfile({ env: { LANG: 'C.UTF-8', PYTHON_VERSION: version.full }, cmd: ['python3'] }),
    checks,
  };
}

/** Adds Debian's pip (python3-pip) when installed; returns its version, or null. */
async function addPip(rootfs, binDir) {
  if (!(await exists(path.join(DIST_PACKAGES, 'pip', '__init__.py')))) return null;
  const info = (await readdir(DIST_PACKAGES)).find((name) => /^pip-[\d.]+\.dist-info$/.test(name));
  if (!info) return null;
  const skip = (rel, dirent) => dirent.isDirectory() && dirent.name === '__pycache__';
  await addHostTree(rootfs, path.join(DIST_PACKAGES, 'pip'), skip);
  await addHostTree(rootfs, path.join(DIST_PACKAGES, info), skip);
  for (const name of ['pip', 'pip3']) {
    const script = path.join(binDir, name);
    if (await exists(script)) await addHostPath(rootfs, script);
  }
  return info.slice('pip-'.length, -'.dist-info'.length);
}
