import { describe, expect, it } from 'vitest';
import { buildOptions } from './build-options';

describe('buildOptions', () => {
  it("maps a build request onto the build API's options, removing intermediate containers even on failure", () => {
    const signal = new AbortController().signal;
    expect(
      buildOptions({
        dockerfile: 'api/Dockerfile',
        tag: 'slipway/shop-api:d1',
        labels: { 'dev.slipway.app': 'shop' },
        buildArgs: { NODE_ENV: 'production' },
        noCache: true,
        signal,
      }),
    ).toStrictEqual({
      t: 'slipway/shop-api:d1',
      dockerfile: 'api/Dockerfile',
      labels: { 'dev.slipway.app': 'shop' },
      buildargs: { NODE_ENV: 'production' },
      nocache: true,
      rm: true,
      forcerm: true,
      abortSignal: signal,
    });
  });

  it('passes no signal when the build has none', () => {
    const options = buildOptions({ dockerfile: 'Dockerfile', tag: 't', labels: {}, buildArgs: {}, noCache: false });
    expect(options.abortSignal).toBeUndefined();
    expect(options.nocache).toBe(false);
  });
});
