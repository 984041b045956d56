import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-fs';
import type { Headers, Pack, PackOptions } from 'tar-fs';
import { SlipwayError } from '../../../shared/errors';
import { createDockerignoreMatcher, DockerignoreMatcher } from './dockerignore';

export interface BuildContextOptions {
  /** The checked-out source: a git working tree, or the folder that holds the app spec. */
  sourceRoot: string;
  /** The component's `source_dir`, relative to sourceRoot; a leading `/` is allowed, as in DigitalOcean specs. */
  sourceDir: string;
  /** The component's `dockerfile_path`, relative to sourceRoot (not to sourceDir). */
  dockerfilePath: string;
  /**
   * A generated build's files by their path in the context (`.slipway/Dockerfile`, `.slipway/Caddyfile`):
   * packed in place of any file of the source at those paths; the source's Dockerfile is not used.
   */
  generated?: Record<string, string>;
  /** Listing only: a missing Dockerfile is not an error, since Slipway generates one (the component names none). */
  generatedWhenMissing?: boolean;
}

export interface BuildContext {
  /** The context as an uncompressed tar, ready for the Engine API's /build. */
  tar: NodeJS.ReadableStream;
  /** The Dockerfile's path inside the tar (the `dockerfile` build parameter). */
  dockerfile: string;
  files: number;
  bytes: number;
}

/** Where a Dockerfile that lives outside the context is placed inside the tar. */
export const OUTSIDE_DOCKERFILE_NAME = '.slipway/Dockerfile';

// A Dockerfile is read into memory when it lives outside the context; anything this big is not one.
const MAX_OUTSIDE_DOCKERFILE_BYTES = 4 * 1024 * 1024;

/** One entry of a build context, by its path inside the context. */
export interface ContextEntry {
  rel: string;
  kind: 'dir' | 'file' | 'symlink';
  size: number;
}

/** What a build context holds, before it is packed: the same list the tar is made from. */
export interface ContextListing {
  /** The context folder, really (symlinks followed). */
  contextReal: string;
  /** The context folder relative to sourceRoot, posix, '' for the root itself. */
  contextRel: string;
  /** Parents before children, in a stable order. */
  entries: ContextEntry[];
  /** The Dockerfile's path inside the context, or null when it lives outside it. */
  dockerfileInContext: string | null;
  /** A Dockerfile from outside the context: its path relative to sourceRoot and its content. */
  outsideDockerfile: { rel: string; content: Buffer; mtime: Date } | null;
  /** True when the build uses a generated Dockerfile rather than one of the source. */
  generated: boolean;
}

/** A file the tar gets that is not read from the context folder. */
interface ExtraEntry {
  name: string;
  content: Buffer;
  mtime?: Date;
}

/** Packs sourceRoot/sourceDir as a docker build context tar, honouring its .dockerignore the way `docker build` does. */
export async function createBuildContext(options: BuildContextOptions): Promise<BuildContext> {
  const listing = await listBuildContext(options);
  const { contextReal, entries, dockerfileInContext } = listing;
  const extras = extraEntries(listing, options.generated);

  let files = 0;
  let bytes = 0;
  for (const entry of entries) {
    if (entry.kind === 'dir') continue;
    files++;
    bytes += entry.size;
  }
  for (const extra of extras) {
    files++;
    bytes += extra.content.length;
  }

  const packOptions: PackOptions & { umask: number } = {
    entries: entries.map((e) => e.rel),
    // Every entry is listed explicitly, so tar-fs must not add directory contents on its own.
    ignore: () => true,
    // Keep modes exactly as they are on disk, whatever the umask of this process.
    umask: 0,
    strict: false,
    map: (header: Headers) => ({ ...header, uid: 0, gid: 0 }),
    finalize: extras.length === 0,
    finish: (pack: Pack) => {
      if (extras.length === 0) return;
      const next = (i: number): void => {
        if (i === extras.length) {
          pack.finalize();
          return;
        }
        const { name, content, mtime } = extras[i]!;
        pack.entry({ name, type: 'file', mode: 0o644, uid: 0, gid: 0, mtime }, content, (err) => {
          if (err) pack.destroy(err);
          else next(i + 1);
        });
      };
      next(0);
    },
  };

  const pack = tar.pack(contextReal, packOptions);
  // tar-fs yields a streamx stream; dockerode and callers expect a real Node stream (pipe, destroy, errors).
  const stream = Readable.from(pack as AsyncIterable<Buffer>, { objectMode: false });

  return {
    tar: stream,
    dockerfile: listing.generated ? OUTSIDE_DOCKERFILE_NAME : (dockerfileInContext ?? OUTSIDE_DOCKERFILE_NAME),
    files,
    bytes,
  };
}

/** Lists what a component's build context holds, honouring its .dockerignore, without reading any file's content. */
export async function listBuildContext(options: BuildContextOptions): Promise<ContextListing> {
  const rootReal = await realpathOr(resolve(options.sourceRoot), () => {
    throw new SlipwayError('SOURCE_NOT_FOUND', `The source folder ${options.sourceRoot} does not exist`, {
      sourceRoot: options.sourceRoot,
    });
  });

  const contextRel = normalizeRelative(options.sourceDir);
  const contextReal = await resolveInside(rootReal, contextRel, 'source_dir', () => {
    throw new SlipwayError('SOURCE_NOT_FOUND', `no source directory at ${displayPath(contextRel)}`, {
      sourceDir: options.sourceDir,
    });
  });
  if (!(await stat(contextReal)).isDirectory()) {
    throw new SlipwayError('BUILD_CONTEXT_INVALID', `The source_dir ${displayPath(contextRel)} is not a directory`, {
      sourceDir: options.sourceDir,
    });
  }

  const matcher = await readDockerignore(contextReal, rootReal);
  const generatedPaths = Object.keys(options.generated ?? {});
  const dockerfileRel = normalizeRelative(options.dockerfilePath);
  // null: the source has no Dockerfile there, and the build uses a generated one.
  const missing = new Error('no Dockerfile');
  const dockerfileReal: string | null =
    options.generated !== undefined
      ? null
      : await resolveInside(rootReal, dockerfileRel, 'dockerfile_path', () => {
          if (options.generatedWhenMissing) throw missing;
          throw new SlipwayError('SOURCE_NOT_FOUND', `no Dockerfile at ${displayPath(dockerfileRel)}`, {
            dockerfilePath: options.dockerfilePath,
          });
        }).catch((err: unknown) => {
          if (err === missing) return null;
          throw err;
        });
  if (dockerfileReal === null) {
    const reserved = new Set(generatedPaths.length ? generatedPaths : [OUTSIDE_DOCKERFILE_NAME]);
    const entries = await walkContext(contextReal, matcher, new Set(['.dockerignore']), reserved);
    return { contextReal, contextRel, entries, dockerfileInContext: null, outsideDockerfile: null, generated: true };
  }
  const dockerfileStat = await stat(dockerfileReal);
  if (!dockerfileStat.isFile()) {
    throw new SlipwayError('BUILD_CONTEXT_INVALID', `The Dockerfile ${displayPath(dockerfileRel)} is not a file`, {
      dockerfilePath: options.dockerfilePath,
    });
  }

  // Compared by real path, so a Dockerfile reached through a symlink is sent as the file it really is.
  const dockerfileInContext = isInside(contextReal, dockerfileReal)
    ? toPosix(relative(contextReal, dockerfileReal))
    : null;
  let outsideDockerfile: Buffer | null = null;
  if (dockerfileInContext === null) {
    if (dockerfileStat.size > MAX_OUTSIDE_DOCKERFILE_BYTES) {
      throw new SlipwayError('BUILD_CONTEXT_INVALID', `The Dockerfile ${displayPath(dockerfileRel)} is too large`, {
        dockerfilePath: options.dockerfilePath,
        bytes: dockerfileStat.size,
      });
    }
    outsideDockerfile = await readFile(dockerfileReal);
  }

  // Docker sends these even when .dockerignore lists them: the builder needs them.
  const forced = new Set<string>(['.dockerignore']);
  if (dockerfileInContext !== null) forced.add(dockerfileInContext);

  const reserved = new Set<string>(outsideDockerfile !== null ? [OUTSIDE_DOCKERFILE_NAME] : []);
  const entries = await walkContext(contextReal, matcher, forced, reserved);

  return {
    contextReal,
    contextRel,
    entries,
    dockerfileInContext,
    outsideDockerfile:
      outsideDockerfile === null
        ? null
        : { rel: dockerfileRel, content: outsideDockerfile, mtime: dockerfileStat.mtime },
    generated: false,
  };
}

/** What the tar gets besides the context's own files: a Dockerfile from outside it, or a generated build's files. */
function extraEntries(listing: ContextListing, generated: Record<string, string> | undefined): ExtraEntry[] {
  if (listing.outsideDockerfile) {
    const { content, mtime } = listing.outsideDockerfile;
    return [{ name: OUTSIDE_DOCKERFILE_NAME, content, mtime }];
  }
  // A fixed time, so the same generated files make the same context (and hit the layer cache).
  const mtime = new Date(0);
  return Object.entries(generated ?? {}).map(([name, text]) => ({ name, content: Buffer.from(text), mtime }));
}

/** Strips what DigitalOcean-style specs put in front of a repository path (`/`, `./`). */
function normalizeRelative(path: string): string {
  const posix = path.replaceAll('\\', '/');
  const parts = posix.split('/').filter((p) => p !== '' && p !== '.');
  return parts.join('/');
}

function displayPath(rel: string): string {
  return rel === '' ? '/' : rel;
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

async function realpathOr(path: string, onMissing: () => never): Promise<string> {
  try {
    return await realpath(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') {
      return onMissing();
    }
    throw err;
  }
}

/** Resolves rel under root, refusing it when it leaves root before or after symlinks are followed. */
async function resolveInside(root: string, rel: string, field: string, onMissing: () => never): Promise<string> {
  const escapes = (): SlipwayError =>
    new SlipwayError('BUILD_CONTEXT_INVALID', `The ${field} ${displayPath(rel)} points outside the source folder`, {
      [field]: rel,
    });
  const lexical = resolve(root, rel);
  if (!isInside(root, lexical)) throw escapes();
  const real = await realpathOr(lexical, onMissing);
  if (!isInside(root, real)) throw escapes();
  return real;
}

async function readDockerignore(contextReal: string, rootReal: string): Promise<DockerignoreMatcher> {
  const path = join(contextReal, '.dockerignore');
  let real: string;
  try {
    real = await realpath(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new DockerignoreMatcher([]);
    throw err;
  }
  if (!isInside(rootReal, real)) {
    throw new SlipwayError(
      'BUILD_CONTEXT_INVALID',
      'The .dockerignore is a symlink that points outside the source folder',
    );
  }
  return createDockerignoreMatcher(await readFile(real, 'utf8'));
}

/**
 * Lists what goes into the tar, parents before children, in a stable order. An excluded
 * directory is still walked when something below it may be sent (a `!` pattern, the
 * Dockerfile); it is then listed only once something inside it is.
 */
async function walkContext(
  contextReal: string,
  matcher: DockerignoreMatcher,
  forced: Set<string>,
  /** Paths the tar gets from elsewhere (the Dockerfile from outside, generated files): the source's own are left out. */
  reserved: Set<string>,
): Promise<ContextEntry[]> {
  const entries: ContextEntry[] = [];
  const pendingDirs: string[] = [];
  const forcedAncestors = new Set<string>();
  for (const path of forced) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) forcedAncestors.add(parts.slice(0, i).join('/'));
  }

  const emit = (entry: ContextEntry): void => {
    for (const dir of pendingDirs) entries.push({ rel: dir, kind: 'dir', size: 0 });
    pendingDirs.length = 0;
    entries.push(entry);
  };

  const visit = async (relDir: string): Promise<void> => {
    const dirents = await readdir(relDir === '' ? contextReal : join(contextReal, relDir), { withFileTypes: true });
    dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const dirent of dirents) {
      const rel = relDir === '' ? dirent.name : `${relDir}/${dirent.name}`;
      if (reserved.has(rel)) continue;
      const excluded = !forced.has(rel) && matcher.matches(rel);
      if (dirent.isDirectory()) {
        if (!excluded) {
          emit({ rel, kind: 'dir', size: 0 });
          await visit(rel);
        } else if (forcedAncestors.has(rel) || (matcher.hasExclusions && matcher.mayReincludeBelow(rel))) {
          pendingDirs.push(rel);
          await visit(rel);
          if (pendingDirs[pendingDirs.length - 1] === rel) pendingDirs.pop();
        }
      } else if (excluded) {
        continue;
      } else if (dirent.isSymbolicLink()) {
        // Stored as a link, never followed: its target may lie outside the source folder.
        emit({ rel, kind: 'symlink', size: 0 });
      } else if (dirent.isFile()) {
        const info = await lstat(join(contextReal, rel));
        emit({ rel, kind: 'file', size: info.size });
      }
      // Sockets, FIFOs and devices are skipped, as docker does with sockets; they cannot be built from.
    }
  };

  await visit('');
  return entries;
}
