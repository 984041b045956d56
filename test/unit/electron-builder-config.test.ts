import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { flipFuses, FuseV1Options, getCurrentFuseWire, type FuseConfig } from '@electron/fuses';
import { FuseState, SENTINEL } from '@electron/fuses/dist/constants';
import { PlatformPackager, type Configuration } from 'app-builder-lib';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');

/** Every source file under a folder, recursively. */
async function sourcesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => path.join(e.parentPath, e.name));
}

describe('the electron-builder configuration', () => {
  let config: Configuration;
  beforeAll(async () => {
    // What `electron-builder` itself reads from the repository, checked as it checks it, offline.
    config = await getConfig(ROOT, null, null);
    await validateConfiguration(config, new DebugLogger(false));
  });

  it('packs the app into an asar archive, the only place Electron may load it from', () => {
    expect(config.asar).not.toBe(false);
    expect(config.electronFuses).toMatchObject({
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
    });
  });

  it('turns off NODE_OPTIONS, the inspect flags and file:// privileges', () => {
    expect(config.electronFuses).toMatchObject({
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('keeps RunAsNode on exactly while the shell starts a process with ELECTRON_RUN_AS_NODE', async () => {
    const users: string[] = [];
    for (const file of await sourcesUnder(path.join(ROOT, 'src/main'))) {
      if ((await readFile(file, 'utf8')).includes('ELECTRON_RUN_AS_NODE')) users.push(path.relative(ROOT, file));
    }
    expect(config.electronFuses?.runAsNode, `processes run as Node: ${users.join(', ') || 'none'}`).toBe(
      users.length > 0,
    );
  });

  describe('flipped into a binary as electron-builder does', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'slipway-fuses-'));
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it('sets every configured fuse of an Electron fuse wire', async () => {
      // The Electron binary cannot be downloaded here: a file with Electron's fuse wire stands in for it.
      const binary = path.join(dir, 'slipway');
      const wire = Buffer.alloc(8, FuseState.ENABLE);
      await writeFile(
        binary,
        Buffer.concat([Buffer.from('\x7fELF…'), Buffer.from(SENTINEL), Buffer.from([1, 8]), wire]),
      );
      // electron-builder's own translation of the configuration, private in its types.
      const packager = PlatformPackager.prototype as unknown as {
        generateFuseConfig(fuses: Configuration['electronFuses']): Promise<FuseConfig>;
      };
      const fuses = await packager.generateFuseConfig.call({}, config.electronFuses);
      await flipFuses(binary, fuses);
      const flipped = await getCurrentFuseWire(binary);
      const state = (option: FuseV1Options) => flipped[option];
      expect(state(FuseV1Options.EnableNodeOptionsEnvironmentVariable)).toBe(FuseState.DISABLE);
      expect(state(FuseV1Options.EnableNodeCliInspectArguments)).toBe(FuseState.DISABLE);
      expect(state(FuseV1Options.GrantFileProtocolExtraPrivileges)).toBe(FuseState.DISABLE);
      expect(state(FuseV1Options.EnableEmbeddedAsarIntegrityValidation)).toBe(FuseState.ENABLE);
      expect(state(FuseV1Options.OnlyLoadAppFromAsar)).toBe(FuseState.ENABLE);
      expect(state(FuseV1Options.RunAsNode)).toBe(
        config.electronFuses!.runAsNode ? FuseState.ENABLE : FuseState.DISABLE,
      );
    });
  });
});
