import { runSlipway } from '../support/slipway-process';
import { e2eEnv } from './e2e-env';
import { appName, expect, liveApp, openDetail, terminalText, test, writeApp } from './fixtures';

/** What the user had copied before: a build must not replace it. */
const CLIPBOARD = 'what the user copied';

/**
 * A build step that writes the clipboard (OSC 52, ended by BEL) and sets the
 * window title (OSC 0 by BEL, OSC 2 by ST) between two words. The words are
 * printf arguments, so only the step's output holds them side by side, not
 * the command the build log repeats.
 */
const HOSTILE_DOCKERFILE = [
  'FROM busybox:stable',
  String.raw`RUN printf 'osc-%s \033]52;c;cHduZWQ=\007\033]0;pwned-title\007\033]2;pwned-title\033\\osc-%s\n' before after`,
  'COPY site/ /www/',
  'CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]',
  '',
].join('\n');

test.describe('control sequences in build output', () => {
  test('the log view ignores a clipboard write and title changes, and shows the text around them', async ({
    page,
    context,
    engine,
    scratch,
    cleanupApps,
    pageProblems,
  }) => {
    test.setTimeout(90_000);
    const name = appName('osc');
    cleanupApps.push(name);
    const dir = await writeApp(scratch, { name, dockerfile: HOSTILE_DOCKERFILE });
    const live = await liveApp(engine, dir);
    const build = await engine.apps.readLogs({ app: name, type: 'build', deployment: live.id });
    // The engine keeps the bytes as the build printed them: what follows tests the view, not a filter before it.
    expect(build.map((line) => line.line)).toContain(
      'osc-before \x1b]52;c;cHduZWQ=\x07\x1b]0;pwned-title\x07\x1b]2;pwned-title\x1b\\osc-after',
    );

    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: e2eEnv('origin') });
    await page.goto(e2eEnv('url'));
    await page.evaluate(`navigator.clipboard.writeText(${JSON.stringify(CLIPBOARD)})`);
    await openDetail(page, name, 'Logs');
    await expect(page.getByRole('tab', { name: 'Build' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('log-status')).toHaveText('Complete');
    await expect(page.getByTestId('terminal')).toHaveAttribute('data-written', String(build.length));

    await expect.poll(() => terminalText(page)).toContain('osc-before osc-after');
    expect(await page.title()).toMatch(/ · Slipway$/);
    expect(await page.title()).not.toContain('pwned');
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(CLIPBOARD);
    expect(pageProblems).toEqual([]);
  });

  test('the CLI shows them as text, and --raw passes them as they came', async ({ engine, scratch, cleanupApps }) => {
    test.setTimeout(90_000);
    const name = appName('osc-cli');
    cleanupApps.push(name);
    await liveApp(engine, await writeApp(scratch, { name, dockerfile: HOSTILE_DOCKERFILE }));
    const dataDir = e2eEnv('dataDir');

    const shown = await runSlipway(dataDir, ['apps', 'logs', name, '--type', 'build']);
    expect(shown.code, shown.err).toBe(0);
    expect(shown.out).toContain('web | osc-before ^[]52;c;cHduZWQ=^G^[]0;pwned-title^G^[]2;pwned-title^[\\osc-after');
    expect(shown.out).not.toContain('\x1b]');

    const raw = await runSlipway(dataDir, ['apps', 'logs', name, '--type', 'build', '--raw']);
    expect(raw.code, raw.err).toBe(0);
    expect(raw.out).toContain('web | osc-before \x1b]52;c;cHduZWQ=\x07\x1b]0;pwned-title\x07');
  });
});
