import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { e2eEnv } from './e2e-env';
import { appName, expect, liveApp, openDetail, terminalText, test } from './fixtures';

const TEXT = 'Größe ✓ 日本語 🚀';
const LINES = 20_000;

test.describe('multi-byte text in the log view', () => {
  test(`shows ${LINES} lines of "${TEXT}" from a container whole`, async ({
    page,
    engine,
    scratch,
    cleanupApps,
    pageProblems,
  }) => {
    test.setTimeout(90_000);
    const name = appName('utf8');
    cleanupApps.push(name);
    const dir = path.join(scratch, name);
    await mkdir(path.join(dir, 'site'), { recursive: true });
    await writeFile(path.join(dir, 'site', 'index.html'), 'utf8\n');
    await writeFile(
      path.join(dir, 'Dockerfile'),
      'FROM busybox:stable\nCOPY site/ /www/\nCMD ["httpd", "-f", "-p", "8080", "-h", "/www"]\n',
    );
    const loop = `i=0; while [ $i -lt ${LINES} ]; do i=$((i+1)); echo "${TEXT} $i"; done`;
    await writeFile(
      path.join(dir, 'app.yaml'),
      [
        `name: ${name}`,
        'services:',
        '  - name: web',
        '    dockerfile_path: Dockerfile',
        '    http_port: 8080',
        `    run_command: sh -c '${loop}; exec httpd -f -p 8080 -h /www'`,
        '',
      ].join('\n'),
    );
    await liveApp(engine, dir);

    await page.goto(e2eEnv('url'));
    await openDetail(page, name, 'Logs');
    await page.getByRole('tab', { name: 'Runtime' }).click();
    // The container's output came in frames cut anywhere; every character arrives whole.
    await expect.poll(() => terminalText(page), { timeout: 30_000 }).toContain(`${TEXT} ${LINES}`);
    expect(await terminalText(page)).not.toContain('\uFFFD');
    expect(pageProblems).toEqual([]);
  });
});
