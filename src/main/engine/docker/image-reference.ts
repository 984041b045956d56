import type { ComponentSource } from '../../../shared/spec/app-spec';

const REGISTRY_HOSTS: Record<string, string> = {
  DOCR: 'registry.digitalocean.com',
  GHCR: 'ghcr.io',
};

/**
 * The reference Docker pulls for an image source, as App Platform reads it:
 * `registry` is the Docker Hub user or organisation, the DOCR registry name,
 * or the GHCR owner. Specs that write the registry host itself there (seen in
 * the wild: `registry: ghcr.io`) are read the way their authors meant.
 */
export function imageReference(source: Extract<ComponentSource, { type: 'image' }>): string {
  const host = REGISTRY_HOSTS[source.registryType] ?? null;
  const owner = source.registry && source.registry !== host ? source.registry : null;
  const name = [host, owner, source.repository].filter(Boolean).join('/');
  return source.digest ? `${name}@${source.digest}` : `${name}:${source.tag}`;
}
