import { describe, expect, it } from 'vitest';
import { buildOptions, LABEL_DOCKERFILE, labelBuildOptions, labelDockerfile } from './build-options';

const IMAGE = `sha256:${'ab'.repeat(32)}`;

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
      dockerfile: 'api/Dockerfile',
      buildargs: { NODE_ENV: 'production' },
      nocache: true,
      rm: true,
      forcerm: true,
      abortSignal: signal,
    });
  });

  it('gives the user build no labels and no tag: the classic builder would add a LABEL step to the log', () => {
    const options = buildOptions({
      dockerfile: 'Dockerfile',
      tag: 't',
      labels: { a: 'b' },
      buildArgs: {},
      noCache: false,
    });
    expect(options).not.toHaveProperty('labels');
    expect(options).not.toHaveProperty('t');
  });

  it('passes no signal when the build has none', () => {
    const options = buildOptions({ dockerfile: 'Dockerfile', tag: 't', labels: {}, buildArgs: {}, noCache: false });
    expect(options.abortSignal).toBeUndefined();
    expect(options.nocache).toBe(false);
  });
});

describe('the label build', () => {
  it('tags the labelled image, builds its one-file context with the cache on', () => {
    const signal = new AbortController().signal;
    expect(labelBuildOptions({ tag: 'slipway/shop-web:d1', signal })).toStrictEqual({
      t: 'slipway/shop-web:d1',
      dockerfile: LABEL_DOCKERFILE,
      rm: true,
      forcerm: true,
      abortSignal: signal,
    });
  });

  it('labels the built image in one LABEL step, keys sorted, whatever order they came in', () => {
    const labels = { 'dev.slipway.owner': 'i1', 'dev.slipway.app': 'shop', 'dev.slipway.managed': 'true' };
    const text = labelDockerfile(IMAGE, labels);
    expect(text).toBe(
      `FROM ${IMAGE}\nLABEL "dev.slipway.app"="shop" "dev.slipway.managed"="true" "dev.slipway.owner"="i1"\n`,
    );
    const reversed = Object.fromEntries(Object.entries(labels).reverse());
    expect(labelDockerfile(IMAGE, reversed)).toBe(text);
  });

  it('escapes what the builder would read as an escape, a quote or a variable', () => {
    expect(labelDockerfile(IMAGE, { k: 'a "b" $HOME \\ \'c\' ü' })).toBe(
      `FROM ${IMAGE}\nLABEL "k"="a \\"b\\" \\$HOME \\\\ 'c' ü"\n`,
    );
  });

  it('refuses a line break in a label, no labels, and anything but a full image id', () => {
    expect(() => labelDockerfile(IMAGE, { k: 'a\nRUN x' })).toThrow(/label k: a label cannot hold a line break/);
    expect(() => labelDockerfile(IMAGE, { 'k\r': 'v' })).toThrow(/line break/);
    expect(() => labelDockerfile(IMAGE, {})).toThrow(/labels: none given/);
    expect(() => labelDockerfile('busybox:stable', { k: 'v' })).toThrow(/not a sha256 image id/);
    expect(() => labelDockerfile(`${IMAGE}\nRUN x`, { k: 'v' })).toThrow(/not a sha256 image id/);
  });
});
