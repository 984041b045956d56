/*
 * An image's registry_type, inferred where the spec leaves it out but says where the image lives
 * (`registry: registry.digitalocean.com/acme`, `ghcr.io/acme`, `docker.io/acme`, or no registry at all: Docker
 * Hub). A registry host written into `registry` is taken apart into the type and the owner, as App Platform means it.
 */
import { isMap, type RawMap } from './raw-values';
import { quote, type Path, type ProblemList } from './spec-problems';

type RegistryType = 'DOCKER_HUB' | 'DOCR' | 'GHCR';

const HOSTS: readonly [string, RegistryType][] = [
  ['registry.digitalocean.com', 'DOCR'],
  ['ghcr.io', 'GHCR'],
  ['docker.io', 'DOCKER_HUB'],
  ['index.docker.io', 'DOCKER_HUB'],
  ['registry-1.docker.io', 'DOCKER_HUB'],
];

/** The type a registry field points at, and the owner left once its host is taken off; null when it names another host. */
export function registryFromField(registry: string | null): { type: RegistryType; owner: string | null } | null {
  if (registry === null || registry.trim() === '') return { type: 'DOCKER_HUB', owner: null };
  const [first = '', ...rest] = registry.trim().replace(/\/+$/, '').split('/');
  const host = HOSTS.find(([name]) => name === first.toLowerCase());
  if (host) {
    const owner = rest.join('/');
    // `registry: ghcr.io` alone is kept as written: the image reference reads it as the host itself.
    return { type: host[1], owner: owner === '' ? (host[1] === 'DOCKER_HUB' ? null : first) : owner };
  }
  // A bare word is a Docker Hub user or organisation; anything with a dot, a colon or a slash is another registry.
  return /^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(registry.trim()) ? { type: 'DOCKER_HUB', owner: registry.trim() } : null;
}

/** The raw `image` mapping with registry_type filled in where it can be told (warned), and a host in `registry` taken off. */
export function inferRegistryType(image: unknown, path: Path, problems: ProblemList): unknown {
  if (!isMap(image)) return image;
  const raw = image.registry;
  // A registry of another shape is the schema's to report.
  if (raw !== undefined && raw !== null && typeof raw !== 'string') return image;
  const registry = typeof raw === 'string' ? raw : null;
  const given = image.registry_type;
  const found = registryFromField(registry);
  if (given !== undefined && given !== null) {
    // A type given and a host in registry that agrees with it: keep the owner only, so the reference is right.
    if (found && registry?.includes('/') && typeof given === 'string' && given === found.type) {
      return withRegistry(image, found.owner);
    }
    return image;
  }
  if (!found) {
    problems.error(
      [...path, 'registry_type'],
      `required: DOCKER_HUB, DOCR or GHCR; Slipway cannot tell the type from registry ${quote(registry)}`,
    );
    return image;
  }
  const where = registry === null ? 'no registry' : `registry ${quote(registry)}`;
  problems.warn(
    [...path, 'registry_type'],
    `not set; Slipway reads ${where} as ${found.type}. Write registry_type: ${found.type} to silence this.`,
  );
  return { ...withRegistry(image, found.owner), registry_type: found.type };
}

function withRegistry(image: RawMap, owner: string | null): RawMap {
  const copy: RawMap = { ...image };
  if (owner === null) delete copy.registry;
  else copy.registry = owner;
  return copy;
}
