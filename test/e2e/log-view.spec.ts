import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { e2eEnv } from './e2e-env';
import {
  appName,
  expect,
  liveApp,
  openDetail,
  replaceInFile,
  screenshots,
  terminalText,
  test,
  waitForLatest,
} from './fixtures';

/** A line longer than the terminal is wide: it wraps over several rows on screen. */
const LONG_LINE = `wrap-start-${'0'.repeat(250)}-wrap-end`;

/** Two services, each with its own Dockerfile, so each component's build log says something of its own. */
async function writeTwoServiceApp(parent: string, name: string): Promise<string> {
  const dir = path.join(parent, name);
  await mkdir(path.join(dir, 'site'), { recursive: true });
  await writeFile(path.join(dir, 'site', 'index.html'), '<h1>logs</h1>\n');
  const serve = 'COPY site/ /www/\nCMD ["httpd", "-f", "-p", "8080", "-h", "/www"]\n';
  await writeFile(
    path.join(dir, 'Dockerfile'),
    [
      'FROM busybox:stable',
      // Colours as a build tool prints them: red, then bold green.
      String.raw`RUN printf '\033[31mred-alert\033[0m and \033[1;32mgreen-bold\033[0m\n' && echo "marker one"`,
      `RUN printf 'wrap-start-%0250d-wrap-end\\n' 0 && seq 1 300 | sed 's/^/row /'`,
      serve,
    ].join('\n'),
  );
  await writeFile(path.join(dir, 'Dockerfile.api'), `FROM busybox:stable\nRUN echo "api says hello"\n${serve}`);
  const service = (component: string, dockerfile: string) => [
    `  - name: ${component}`,
    `    dockerfile_path: ${dockerfile}`,
    '    http_port: 8080',
    '    health_check:',
    '      http_path: /',
    '      period_seconds: 1',
  ];
  await writeFile(
    path.join(dir, 'app.yaml'),
    // web builds last, so its long output ends the build log.
    [`name: ${name}`, 'services:', ...service('api', 'Dockerfile.api'), ...service('web', 'Dockerfile'), ''].join('\n'),
  );
  return dir;
}

test.describe('the log view', () => {
  test('keeps ANSI colours, filters by component, searches, copies, clears, jumps to the end, and reads a past deployment from its file', async ({
    page,
    context,
    engine,
    scratch,
    cleanupApps,
    pageProblems,
  }, testInfo) => {
    test.setTimeout(90_000);
    const name = appName('logs');
    cleanupApps.push(name);
    const dir = await writeTwoServiceApp(scratch, name);
    const first = await liveApp(engine, dir);
    await replaceInFile(path.join(dir, 'Dockerfile'), 'marker one', 'marker two');
    await engine.apps.deploy({ app: name });
    const second = await waitForLatest(engine, name);
    expect(second.phase).toBe('ACTIVE');
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(e2eEnv('url')).origin });

    await page.goto(e2eEnv('url'));
    await openDetail(page, name);
    await page.getByRole('tab', { name: 'Logs' }).click();
    await expect(page.getByRole('tab', { name: 'Build' })).toHaveAttribute('aria-selected', 'true');
    // The latest deployment has ended: its build log comes whole from its file.
    await expect(page.getByTestId('log-status')).toHaveText('Complete');
    await expect.poll(() => terminalText(page)).toContain('row 300');
    const rows = page.getByTestId('terminal').locator('.xterm-rows');

    // The build's own colours reach the screen as colours, not as escape codes.
    await page.getByTestId('log-search').fill('red-alert and');
    await expect(page.getByTestId('log-search-count')).toHaveText('1 of 1');
    // The match stays in view once the search is cleared, drawn in the build's colours (bold green may be drawn bright).
    await page.getByTestId('log-search').fill('');
    await expect(rows.locator('span.xterm-fg-1', { hasText: 'red-alert' })).toHaveCount(1);
    await expect(rows.getByText('green-bold', { exact: true })).toHaveAttribute('class', /\bxterm-fg-(2|10)\b/);
    expect(await terminalText(page), 'the output line shows no escape codes').toContain('│ red-alert and green-bold\n');
    // With every component shown, each line says whose it is.
    await expect.poll(() => terminalText(page)).toMatch(/web +│ marker two/);
    await screenshots(page, testInfo, 'detail-logs-colours');

    // Copy takes the whole view; a line wrapped over several rows is copied as one line, without escape codes.
    await page.getByRole('button', { name: 'Copy', exact: true }).click();
    await expect(page.getByTestId('log-view').getByRole('status').last()).toContainText('Copied');
    const copied = await page.evaluate<string>('navigator.clipboard.readText()');
    const copiedLines = copied.split('\n').map((l) => l.replace(/^\S+ +│ /, ''));
    expect(copiedLines).toContain(LONG_LINE);
    expect(copiedLines).toContain('red-alert and green-bold');
    expect(copied).not.toContain('\x1b');

    // Scrolled up (the search went up to its match), the view offers to jump to the end, and does.
    const buildLog = await engine.apps.readLogs({ app: name, type: 'build', deployment: second.id });
    const lastLine = buildLog.at(-1)!.line;
    const jump = page.getByTestId('log-jump-end');
    await expect(jump).toHaveText('Jump to end');
    await jump.click();
    await expect(jump).toHaveText('At end');
    await expect.poll(() => terminalText(page)).toContain(lastLine);
    const box = (await page.getByTestId('terminal').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -3000);
    await expect(jump).toHaveText('Jump to end');
    await expect.poll(() => terminalText(page)).not.toContain(lastLine);
    await jump.click();
    await expect(jump).toHaveText('At end');
    await expect.poll(() => terminalText(page)).toContain(lastLine);

    // One component's lines only: as many as the engine has for it, with no prefixes.
    await page.getByTestId('log-component').selectOption('api');
    await expect.poll(() => terminalText(page)).toContain('api says hello');
    const apiLines = await engine.apps.readLogs({ app: name, type: 'build', deployment: second.id, component: 'api' });
    expect(apiLines.length).toBeGreaterThan(0);
    await expect(page.getByTestId('terminal')).toHaveAttribute('data-received', String(apiLines.length));
    expect(await terminalText(page)).not.toContain('marker two');
    expect(await terminalText(page)).not.toContain('│');

    // Clear empties the view; the log file stays, and reading it again brings the lines back.
    await page.getByRole('button', { name: 'Clear', exact: true }).click();
    await expect.poll(() => terminalText(page)).not.toContain('api says hello');
    expect(
      await engine.apps.readLogs({ app: name, type: 'build', deployment: second.id, component: 'api' }),
    ).toHaveLength(apiLines.length);

    // A past deployment's build log loads from its file: its own lines, not the newer build's.
    await page.getByTestId('log-component').selectOption('');
    await page.getByTestId('log-deployment').selectOption(first.id);
    await expect(page.getByTestId('log-status')).toHaveText('Complete');
    const firstBuild = await engine.apps.readLogs({ app: name, type: 'build', deployment: first.id });
    await expect(page.getByTestId('terminal')).toHaveAttribute('data-received', String(firstBuild.length));
    await page.getByTestId('log-search').fill('marker two');
    await expect(page.getByTestId('log-search-count')).toHaveText('No matches');
    // Its step header and its output.
    await page.getByTestId('log-search').fill('marker one');
    await expect(page.getByTestId('log-search-count')).toHaveText('1 of 2');
    await page.getByTestId('log-search').fill('');

    // Its deploy log, too: what the engine wrote while it started and switched to that deployment.
    await page.getByRole('tab', { name: 'Deploy' }).click();
    const deployLines = await engine.apps.readLogs({ app: name, type: 'deploy', deployment: first.id });
    expect(deployLines.length).toBeGreaterThan(0);
    await expect(page.getByTestId('terminal')).toHaveAttribute('data-received', String(deployLines.length));
    await expect.poll(() => terminalText(page)).toContain(deployLines[0]!.line);
    expect(pageProblems).toEqual([]);
  });
});
