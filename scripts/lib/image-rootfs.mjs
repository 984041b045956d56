// The file tree of an image built FROM scratch: host files (with the symlinks that lead to them,
// so /lib64 → usr/lib64 stays as on the host), generated files, and a fingerprint of it all.
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { chmod, copyFile, link, lstat, mkdir, readFile, readdir, readlink, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

const MAX_LINKS = 40;

/** An empty tree: relative path → { kind: 'dir' | 'file' | 'symlink', mode, source?, content?, target? }. */
export function createRootfs() {
  return { entries: new Map() };
}

function relative(absolute) {
  return path.resolve('/', absolute).slice(1);
}

function setDir(rootfs, rel, mode) {
  if (!rootfs.entries.has(rel)) rootfs.entries.set(rel, { kind: 'dir', mode });
}

/** Adds a host path as the host has it: each symlink on the way, then the file or directory; returns its real path. */
export async function addHostPath(rootfs, hostPath, depth = 0) {
  if (depth > MAX_LINKS) throw new Error(`Too many symlinks resolving ${hostPath}`);
  const parts = relative(hostPath).split('/').filter(Boolean);
  let current = '/';
  for (let i = 0; i < parts.length; i++) {
    const next = path.join(current, parts[i]);
    const stat = await lstat(next);
    if (stat.isSymbolicLink()) {
      const target = await readlink(next);
      rootfs.entries.set(relative(next), { kind: 'symlink', target });
      return addHostPath(rootfs, path.join(path.resolve(current, target), ...parts.slice(i + 1)), depth + 1);
    }
    if (stat.isDirectory()) setDir(rootfs, relative(next), stat.mode & 0o7777);
    else if (i === parts.length - 1 && stat.isFile())
      rootfs.entries.set(relative(next), { kind: 'file', mode: stat.mode & 0o7777, source: next });
    else throw new Error(`${next} is neither a file nor a directory`);
    current = next;
  }
  return current;
}

/** Adds a host directory and everything under it that `skip(relativePath, dirent)` keeps; symlinks leading out are followed. */
export async function addHostTree(rootfs, hostDir, skip = () => false) {
  const root = await addHostPath(rootfs, hostDir);
  const walk = async (dir) => {
    for (const dirent of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, dirent.name);
      if (skip(path.relative(root, full), dirent)) continue;
      if (dirent.isDirectory()) {
        setDir(rootfs, relative(full), (await lstat(full)).mode & 0o7777);
        await walk(full);
      } else if (dirent.isFile()) {
        rootfs.entries.set(relative(full), { kind: 'file', mode: (await lstat(full)).mode & 0o7777, source: full });
      } else if (dirent.isSymbolicLink()) {
        const target = await readlink(full);
        const resolved = path.resolve(dir, target);
        if (resolved === root || resolved.startsWith(`${root}/`)) {
          rootfs.entries.set(relative(full), { kind: 'symlink', target });
        } else if (await lstat(resolved).then(Boolean, () => false)) {
          rootfs.entries.set(relative(full), { kind: 'symlink', target });
          await addHostPath(rootfs, resolved);
        }
      }
    }
  };
  await walk(root);
  return root;
}

/** Adds a file with the given content (or a host file's content under another name). */
export function addFile(rootfs, dest, { content, source, mode = 0o644 }) {
  ensureParents(rootfs, relative(dest));
  rootfs.entries.set(relative(dest), source ? { kind: 'file', mode, source } : { kind: 'file', mode, content });
}

/** Adds an empty directory. */
export function addDir(rootfs, dest, mode = 0o755) {
  ensureParents(rootfs, relative(dest));
  setDir(rootfs, relative(dest), mode);
}

/** Adds a symlink unless something is already at `dest`. */
export function addLink(rootfs, dest, target) {
  ensureParents(rootfs, relative(dest));
  if (!rootfs.entries.has(relative(dest))) rootfs.entries.set(relative(dest), { kind: 'symlink', target });
}

function ensureParents(rootfs, rel) {
  const parts = rel.split('/');
  for (let i = 1; i < parts.length; i++) setDir(rootfs, parts.slice(0, i).join('/'), 0o755);
}

/** A hash of every path, kind, mode, symlink target and file content, with `extra` (the Dockerfile): equal means the same image. */
export async function rootfsFingerprint(rootfs, extra = '') {
  const hash = createHash('sha256').update(extra).update('\0');
  for (const rel of [...rootfs.entries.keys()].sort()) {
    const entry = rootfs.entries.get(rel);
    hash.update(`${rel}\0${entry.kind}\0${entry.mode ?? ''}\0`);
    if (entry.kind === 'symlink') hash.update(entry.target);
    if (entry.kind === 'file') {
      const content = entry.source ? await readFile(entry.source) : Buffer.from(entry.content);
      hash.update(createHash('sha256').update(content).digest());
    }
    hash.update('\n');
  }
  return hash.digest('hex');
}

/** Writes the tree into `folder` (host files hard-linked where the file system allows, else copied). */
export async function writeRootfs(rootfs, folder) {
  const dirs = [];
  for (const rel of [...rootfs.entries.keys()].sort()) {
    const entry = rootfs.entries.get(rel);
    const dest = path.join(folder, rel);
    await mkdir(path.dirname(dest), { recursive: true });
    if (entry.kind === 'dir') {
      await mkdir(dest, { recursive: true });
      dirs.push([dest, entry.mode]);
    } else if (entry.kind === 'symlink') {
      await symlink(entry.target, dest);
    } else if (entry.source) {
      // A hard link shares the host file's mode: link only when that is the mode wanted.
      const same = ((await lstat(entry.source)).mode & 0o7777) === entry.mode;
      const linked =
        same &&
        (await link(entry.source, dest).then(
          () => true,
          () => false,
        ));
      if (!linked) {
        await copyFile(entry.source, dest);
        await chmod(dest, entry.mode);
      }
    } else {
      await writeFile(dest, entry.content, { mode: entry.mode });
      await chmod(dest, entry.mode);
    }
  }
  for (const [dest, mode] of dirs) await chmod(dest, mode);
}
