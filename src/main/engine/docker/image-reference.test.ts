import { describe, expect, it } from 'vitest';
import { imageReference } from './image-reference';

const image = (
  registryType: string,
  registry: string | null,
  repository: string,
  tag = 'latest',
  digest: string | null = null,
) => ({ type: 'image', registryType, registry, repository, tag, digest }) as const;

describe('imageReference', () => {
  it('reads Docker Hub images with and without an organisation', () => {
    expect(imageReference(image('DOCKER_HUB', null, 'nginx', '1.27'))).toBe('nginx:1.27');
    expect(imageReference(image('DOCKER_HUB', 'supabase', 'studio', '2024'))).toBe('supabase/studio:2024');
  });

  it('puts DOCR and GHCR images on their registry hosts', () => {
    expect(imageReference(image('DOCR', 'acme', 'api', 'v3'))).toBe('registry.digitalocean.com/acme/api:v3');
    expect(imageReference(image('GHCR', 'moltis-org', 'moltis'))).toBe('ghcr.io/moltis-org/moltis:latest');
  });

  it('does not repeat a registry host written as the registry', () => {
    expect(imageReference(image('GHCR', 'ghcr.io', 'moltis-org/moltis', 'main'))).toBe(
      'ghcr.io/moltis-org/moltis:main',
    );
  });

  it('pins a digest instead of a tag', () => {
    expect(imageReference(image('DOCKER_HUB', null, 'redis', 'latest', 'sha256:abc'))).toBe('redis@sha256:abc');
  });
});
