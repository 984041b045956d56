import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { BuildPlan, SpecPlanResult } from '../../../shared/build-plan';
import { BuildPlanPanel } from './BuildPlanPanel';
import { BuildPlanView } from './BuildPlanView';

const NODE_DOCKERFILE = [
  'FROM node:20-bookworm-slim',
  'WORKDIR /app',
  'COPY . .',
  'ENV PORT=8080',
  'CMD ["sh", "-c", "npm start"]',
  '',
].join('\n');

const nodePlan: BuildPlan = {
  component: 'web',
  recipe: 'node',
  detectedBy: 'package.json found',
  version: { version: '20', from: 'package.json engines.node' },
  install: null,
  build: null,
  start: 'npm start',
  baseImages: ['node:20-bookworm-slim'],
  dockerfile: NODE_DOCKERFILE,
  files: {},
};

const ownPlan: BuildPlan = {
  component: 'api',
  recipe: 'dockerfile',
  detectedBy: 'dockerfile_path: api/Dockerfile',
  version: null,
  install: null,
  build: null,
  start: null,
  baseImages: ['busybox:stable'],
  dockerfile: null,
  files: {},
};

const sitePlan: BuildPlan = {
  component: 'docs',
  recipe: 'static',
  detectedBy: 'static_sites',
  version: null,
  install: null,
  build: 'sh build.sh',
  start: 'Caddy serves dist',
  baseImages: ['busybox:stable', 'caddy:2'],
  dockerfile: 'FROM busybox:stable AS build\nFROM caddy:2\nCOPY .slipway/Caddyfile /etc/caddy/Caddyfile\n',
  files: { '.slipway/Caddyfile': ':8080 {\n\troot * /srv\n\tfile_server\n}\n' },
};

const render = (result: SpecPlanResult) => renderToStaticMarkup(<BuildPlanView result={result} />);
/** The markup as a reader sees it: tags dropped, entities decoded. */
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

describe('BuildPlanView', () => {
  it("shows a generated build's recipe, why, version, steps, base image and Dockerfile", () => {
    const html = render({ plans: [nodePlan], databases: [], errors: [], warnings: [] });
    expect(html).toContain('data-component="web"');
    expect(html).toContain('data-recipe="node"');
    const shown = text(html);
    expect(shown).toContain('Node.js');
    expect(shown).toContain('Detected by package.json found');
    expect(shown).toContain('Version 20, from package.json engines.node');
    expect(shown).toContain('Install Nothing to install');
    expect(shown).toContain('Build No build step');
    expect(shown).toContain('Start npm start');
    expect(shown).toContain('Base image node:20-bookworm-slim');
    expect(shown).toContain('Copy Dockerfile');
    expect(shown).toContain('save it as Dockerfile in the folder and set dockerfile_path');
    // The Dockerfile keeps its lines in a read-only block: no editable field.
    const block = /<pre[^>]*data-testid="plan-dockerfile-text"[^>]*><code>([\s\S]*?)<\/code><\/pre>/.exec(html);
    expect(block?.[1]?.replace(/&quot;/g, '"')).toBe(NODE_DOCKERFILE);
    expect(html).not.toMatch(/<textarea|<input|contenteditable/);
  });

  it("says a component is built with the user's own Dockerfile, and offers nothing to copy", () => {
    const html = render({ plans: [ownPlan], databases: [], errors: [], warnings: [] });
    expect(text(html)).toContain('Built with your Dockerfile at api/Dockerfile');
    expect(text(html)).toContain("Start The Dockerfile's CMD");
    expect(html).not.toContain('Copy Dockerfile');
  });

  it('shows the extra files a static site build adds, each copyable', () => {
    const shown = text(render({ plans: [sitePlan], databases: [], errors: [], warnings: [] }));
    expect(shown).toContain('Static site');
    expect(shown).toContain('Base images busybox:stable, caddy:2');
    expect(shown).toContain('Start Caddy serves dist');
    expect(shown).toContain('.slipway/Caddyfile');
    expect(shown).toContain('root * /srv');
    expect(shown).toContain('Copy file');
    expect(shown).toContain('save the file below at its path too');
  });

  it('shows a component it cannot build at its place in the spec, with the message', () => {
    const message =
      'services[1] (api) is PHP, which Slipway cannot build yet: add a Dockerfile and set dockerfile_path.';
    const html = render({ plans: [nodePlan], databases: [], errors: [{ path: 'services[1]', message }], warnings: [] });
    expect(html).toContain('data-testid="plan-error"');
    expect(html).toContain('data-path="services[1]"');
    expect(html).toContain('role="alert"');
    expect(text(html)).toContain(`services[1] Cannot build ${message}`);
  });

  it('shows text from the engine as text, never as markup', () => {
    const hostile = '<img src=x onerror="alert(1)"><b id="hostile">bold</b>';
    const html = render({
      plans: [{ ...nodePlan, component: hostile, detectedBy: hostile, start: hostile, dockerfile: `# ${hostile}\n` }],
      databases: [],
      errors: [{ path: hostile, message: hostile }],
      warnings: [],
    });
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b id');
    expect(html).toContain('&lt;img src=x');
  });

  it('says when there is nothing to build', () => {
    expect(text(render({ plans: [], databases: [], errors: [], warnings: [] }))).toContain('Nothing to build');
  });
});

describe('BuildPlanPanel', () => {
  it('says what it waits for, then keeps the last plan while a new one is on its way', () => {
    expect(text(renderToStaticMarkup(<BuildPlanPanel plan={{ state: 'idle' }} idleText="Pick a folder." />))).toContain(
      'Build plan Pick a folder.',
    );
    const planning = renderToStaticMarkup(
      <BuildPlanPanel
        plan={{ state: 'planning', last: { plans: [nodePlan], databases: [], errors: [], warnings: [] } }}
        idleText="Pick a folder."
      />,
    );
    expect(text(planning)).toContain('Reading the source…');
    expect(planning).toContain('data-recipe="node"');
  });

  it('says why there is no plan, with the spec errors that stopped it', () => {
    const html = renderToStaticMarkup(
      <BuildPlanPanel
        plan={{
          state: 'failed',
          error: {
            code: 'SPEC_INVALID',
            message: 'The spec has 1 error.',
            problems: { errors: [{ path: 'services[0].http_port', message: 'must be a port' }], warnings: [] },
          },
        }}
        idleText=""
      />,
    );
    expect(text(html)).toContain('No build plan: The spec has 1 error. services[0].http_port must be a port');
  });
});

describe('BuildPlanView with databases', () => {
  it('shows each database with its image and volume, beside the components', () => {
    const db = { name: 'db', engine: 'PG', version: '15', image: 'postgres:15', volume: 'slipway-shop-db-data' };
    const shown = text(render({ plans: [nodePlan], databases: [db], errors: [], warnings: [] }));
    expect(shown).toContain('PG 15');
    expect(shown).toMatch(/Runs from postgres:15 ?, its data on the volume slipway-shop-db-data/);
    expect(text(render({ plans: [], databases: [db], errors: [], warnings: [] }))).toContain('postgres:15');
  });
});
