import { describe, expect, it } from 'vitest';
import { createdLayer } from './build-layers';

describe('layers a build made', () => {
  it('names the layer a step committed', () => {
    expect(createdLayer('Removing intermediate container 3f2a1b0c9d8e', ' ---> 0123456789ab')).toBe('0123456789ab');
    expect(createdLayer(' ---> Running in 3f2a1b0c9d8e', ' ---> abcdefabcdef')).toBe('abcdefabcdef');
  });

  it('leaves out a cached layer and the base image of every FROM', () => {
    expect(createdLayer(' ---> Using cache', ' ---> 0123456789ab')).toBeNull();
    expect(createdLayer('Step 1/4 : FROM busybox:stable', ' ---> 0123456789ab')).toBeNull();
    expect(createdLayer('Step 3/7 : FROM build AS final', ' ---> 0123456789ab')).toBeNull();
    expect(createdLayer('Step 3/7 : from alpine', ' ---> 0123456789ab')).toBeNull();
  });

  it('ignores lines that are not a layer', () => {
    expect(createdLayer('Step 2/4 : RUN true', ' ---> Running in 3f2a1b0c9d8e')).toBeNull();
    expect(createdLayer('', 'Successfully built 0123456789ab')).toBeNull();
  });

  it("names the label build's layer, never the image it labels, and not a cached label step", () => {
    const layers = (lines: string[]) => lines.flatMap((line, i) => createdLayer(lines[i - 1] ?? '', line) ?? []);
    const labelBuild = (cached: boolean) => [
      `Step 1/2 : FROM sha256:${'ab'.repeat(32)}`,
      ' ---> abababababab',
      'Step 2/2 : LABEL "dev.slipway.app"="shop"',
      ...(cached
        ? [' ---> Using cache']
        : [' ---> Running in 3f2a1b0c9d8e', 'Removing intermediate container 3f2a1b0c9d8e']),
      ' ---> 0123456789ab',
      'Successfully built 0123456789ab',
    ];
    expect(layers(labelBuild(false))).toEqual(['0123456789ab']);
    expect(layers(labelBuild(true))).toEqual([]);
  });
});
