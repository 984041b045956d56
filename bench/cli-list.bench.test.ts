/**
 * `npm run bench`: `slipway apps list` as a user types it, a new process each
 * time, with the engine already running (warm) and with none running (cold:
 * the command starts one), against `docker ps` for the same kind of look, in
 * one run. Prints the medians and the ratios.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { helloCopy, scratchDir, stopEdgeProcess } from '../test/support/deploy-fixtures';
import { enginePid, exitOf, runSlipway, stopEngineProcess } from '../test/support/slipway-process';

const RUNS = 20;
const APP = 'bench-list';
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
/** An engine that outlives the warm runs; the cold runs stop it before each. */
const WARM = { env: { SLIPWAY_ENGINE_IDLE_S: '300' } };

let scratch: Awaited<ReturnType<typeof scratchDir>>;
let data: string;

beforeAll(async () => {
  scratch = await scratchDir('bench-list');
  data = path.join(scratch.dir, 'data');
  const dir = await helloCopy(scratch.dir, APP);
  expect((await runSlipway(data, ['apps', 'create', '--spec', path.join(dir, 'app.yaml')], WARM)).code).toBe(0);
});

afterAll(async () => {
  await runSlipway(data, ['apps', 'delete', APP]).catch(() => undefined);
  await stopEngineProcess(data);
  await stopEdgeProcess(data);
  await scratch.remove();
});

const timed = async (run: () => Promise<{ code: number | null; ms: number }>) => {
  const result = await run();
  expect(result.code).toBe(0);
  return result.ms;
};

it(
  'times `slipway apps list` warm and cold against `docker ps`',
  async () => {
    const warm: number[] = [];
    const cold: number[] = [];
    const dockerPs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      warm.push(await timed(() => runSlipway(data, ['apps', 'list'], WARM)));
      const started = performance.now();
      execFileSync('docker', ['ps', '--filter', 'label=dev.slipway.managed=true']);
      dockerPs.push(performance.now() - started);
    }
    for (let i = 0; i < RUNS; i++) {
      const pid = await enginePid(data);
      if (pid !== null) {
        process.kill(pid, 'SIGTERM');
        await exitOf(pid);
      }
      cold.push(await timed(() => runSlipway(data, ['apps', 'list'], WARM)));
    }
    const line = (name: string, values: number[]) =>
      `  ${name.padEnd(28)} ${median(values).toFixed(0).padStart(5)} ms  (${values.map((t) => t.toFixed(0)).join(', ')})`;
    console.log(
      [
        `slipway apps list, a new process each time, ${RUNS} runs, median:`,
        line('engine running (warm):', warm),
        line('no engine running (cold):', cold),
        line('docker ps:', dockerPs),
        `  ratio warm / docker ps: ${(median(warm) / median(dockerPs)).toFixed(2)}`,
        `  ratio cold / docker ps: ${(median(cold) / median(dockerPs)).toFixed(2)}`,
      ].join('\n'),
    );
  },
  10 * 60_000,
);
