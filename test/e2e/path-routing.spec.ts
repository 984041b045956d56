import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { e2eEnv } from './e2e-env';
import { appCard, appName, expect, liveApp, openDetail, screenshots, test } from './fixtures';

/** A busybox service answering `page` at its root. */
function service(name: string, page: string): string[] {
  return [
    `  - name: ${name}`,
    '    image: { registry_type: DOCKER_HUB, repository: busybox, tag: stable }',
    '    http_port: 8080',
    `    run_command: mkdir -p /www && echo ${page} > /www/index.html && exec httpd -f -p 8080 -h /www`,
  ];
}

test.describe('an app routed by path on this machine', () => {
  test("the card links the app's one URL, which serves / from web and /api from api", async ({
    page,
    engine,
    scratch,
    cleanupApps,
    pageProblems,
  }, testInfo) => {
    test.setTimeout(90_000);
    const name = appName('paths');
    cleanupApps.push(name);
    const dir = path.join(scratch, name);
    await mkdir(dir, { recursive: true });
    await writeFile(
      path.join(dir, 'app.yaml'),
      [
        `name: ${name}`,
        'ingress:',
        '  rules:',
        '    - { component: { name: web }, match: { path: { prefix: / } } }',
        '    - { component: { name: api }, match: { path: { prefix: /api } } }',
        'services:',
        ...service('web', `${name}-web`),
        ...service('api', `${name}-api`),
        '',
      ].join('\n'),
    );
    await liveApp(engine, dir);
    const url = (await engine.apps.get({ app: name })).url!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    await page.goto(e2eEnv('url'));
    const card = appCard(page, name);
    await expect(card.getByTestId('app-status')).toHaveAttribute('data-status', 'live');
    // The app's own URL, not its first service's.
    await expect(card.getByTestId('app-url')).toHaveAttribute('href', url);
    await screenshots(page, testInfo, 'app-card-routed-url');
    expect(await (await page.request.get(`${url}/`)).text()).toContain(`${name}-web`);
    expect(await (await page.request.get(`${url}/api/`)).text()).toContain(`${name}-api`);
    await openDetail(page, name);
    expect(pageProblems).toEqual([]);
  });
});
