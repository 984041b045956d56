import { readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { SlipwayError } from '../../../shared/errors';

// A Dockerfile this big is not one; the build context refuses a larger one from outside it too.
const MAX_DOCKERFILE_BYTES = 4 * 1024 * 1024;

/**
 * The text of a component's Dockerfile (`dockerfile_path`, relative to the
 * source root, a leading `/` allowed), read only when it lies inside the
 * source root once symlinks are followed, as the build context requires.
 */
export async function readDockerfile(sourceRoot: string, dockerfilePath: string): Promise<string> {
  const rel = dockerfilePath
    .replaceAll('\\', '/')
    .split('/')
    .filter((p) => p !== '' && p !== '.')
    .join('/');
  const root = await realpath(resolve(sourceRoot));
  const real = await realpath(resolve(root, rel)).catch(() => null);
  const inside = real !== null && isInside(root, real);
  const info = inside ? await stat(real) : null;
  if (!inside || !info?.isFile()) {
    throw new SlipwayError('SOURCE_NOT_FOUND', `dockerfile_path ${rel || '/'}: no Dockerfile there in the source`, {
      dockerfilePath,
    });
  }
  if (info.size > MAX_DOCKERFILE_BYTES) {
    throw new SlipwayError('BUILD_CONTEXT_INVALID', `dockerfile_path ${rel}: the Dockerfile is too large`, {
      dockerfilePath,
      bytes: info.size,
    });
  }
  return readFile(real!, 'utf8');
}

function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}
