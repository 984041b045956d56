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
});
