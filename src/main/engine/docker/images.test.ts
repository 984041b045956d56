import { describe, expect, it } from 'vitest';
import type { DockerHost } from '../hosts/docker-host';
import { removeBuildLayers } from './images';

describe("removing a stopped build's layers", () => {
  it('removes a step container still made from a layer before the layer itself', async () => {
    const calls: string[] = [];
    const host = {
      docker: {
        listContainers: async (options: { filters: { ancestor: string[] } }) =>
          options.filters.ancestor[0] === 'layer-b' ? [{ Id: 'step-container' }] : [],
        getContainer: (id: string) => ({ remove: async () => void calls.push(`remove container ${id}`) }),
        getImage: (ref: string) => ({ remove: async () => void calls.push(`remove image ${ref}`) }),
      },
    } as unknown as DockerHost;
    await removeBuildLayers(host, ['layer-b', 'layer-a']);
    expect(calls).toEqual(['remove container step-container', 'remove image layer-b', 'remove image layer-a']);
  });
});
