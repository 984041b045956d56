import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCliScratch } from '../support/cli-scratch';
import { writeSiteApp } from '../support/deploy-fixtures';
import { runSlipway } from '../support/slipway-process';

const APP = 'utf8-logs';
const TEXT = 'Größe ✓ 日本語 🚀';
const LINES = 20_000;

const scratch = useCliScratch('utf8', [APP]);

describe('multi-byte text in logs', () => {
  it(`keeps ${LINES} lines of "${TEXT}" whole in the run log, and the build log as whole as Docker sends it`, async () => {
    const loop = `i=0; while [ $i -lt ${LINES} ]; do i=$((i+1)); echo "${TEXT} $i"; done`;
    const dockerfile = [
      'FROM busybox:stable',
      `RUN ${loop}`,
      'COPY site/ /www/',
      'CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]',
      '',
    ].join('\n');
    const services = [
      '  - name: web',
      '    dockerfile_path: Dockerfile',
      '    http_port: 8080',
      `    run_command: sh -c '${loop}; exec httpd -f -p 8080 -h /www'`,
    ].join('\n');
    const dir = await writeSiteApp(scratch.dir(), { name: APP, dockerfile, services });
    expect((await runSlipway(scratch.data(), ['apps', 'create', '--spec', path.join(dir, 'app.yaml')])).code).toBe(0);
    const deployed = await runSlipway(scratch.data(), ['apps', 'deploy', APP, '--wait']);
    expect(deployed.code, deployed.err).toBe(0);

    // The container's output arrives in frames cut anywhere, inside a character too.
    const run = await runSlipway(scratch.data(), ['apps', 'logs', APP, '--type', 'run', '--tail', String(LINES + 10)]);
    expect(run.code, run.err).toBe(0);
    expect(run.out).not.toContain('\uFFFD');
    const shown = run.out.split('\n').filter((line) => line.includes(`${TEXT} `));
    expect(shown).toHaveLength(LINES);
    expect(shown.at(-1)).toMatch(new RegExp(`${TEXT} ${LINES}$`));

    // Every build line is there, in the stored log and in apps logs (piped: nothing is cut at exit).
    // Docker 20.10's classic builder itself sends a character cut between two of its JSON messages
    // as U+FFFD, so the build log is checked for completeness here, not for U+FFFD.
    const build = await runSlipway(scratch.data(), ['apps', 'logs', APP, '--type', 'build']);
    // By the loop's count at the end (a builder line such as ` ---> 123456789012` ends in digits too, but
    // twelve of them); not by the text, which Docker may have cut with U+FFFD.
    const built = build.out.split('\n').filter((line) => /^web \| .* \d{1,5}$/.test(line) && !line.includes('Step'));
    expect(built).toHaveLength(LINES);
    expect(built.at(-1)).toBe(`web | ${TEXT} ${LINES}`);
    const folder = path.join(scratch.data(), 'logs', APP);
    const [file] = await readdir(folder);
    const stored = (await readFile(path.join(folder, file!), 'utf8')).trimEnd().split('\n');
    expect(stored.length).toBeGreaterThan(LINES);
  });
});
