import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const fixture = (name: string) => readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');

/** The messages of one rule for a fixture linted as if it stood at `as` inside the project. */
async function lintAs(name: string, as: string, rule = 'slipway/layer-boundaries') {
  const eslint = new ESLint({ cwd: path.resolve(__dirname, '../..') });
  const [result] = await eslint.lintText(fixture(name), { filePath: path.resolve(__dirname, '../..', as) });
  return result!.messages.filter((m) => m.ruleId === rule).map((m) => m.message);
}

describe('layer boundaries', () => {
  it('fails src/shared importing Node', async () => {
    expect(await lintAs('shared-imports-node.ts', 'src/shared/forbidden.ts')).toEqual([
      'src/shared must not import Node modules ("node:fs").',
    ]);
  });

  it('fails src/shared importing another layer', async () => {
    expect(await lintAs('shared-imports-main.ts', 'src/shared/forbidden.ts')).toEqual([
      'src/shared must not import from the engine layer ("../main/engine/engine").',
    ]);
  });

  it('fails the engine importing electron', async () => {
    expect(await lintAs('engine-imports-electron.ts', 'src/main/engine/forbidden.ts')).toEqual([
      'src/main/engine must not import electron ("electron").',
    ]);
  });

  it('fails the renderer importing the engine or a Node-only package', async () => {
    expect(await lintAs('renderer-imports-engine.ts', 'src/renderer/forbidden.ts')).toEqual([
      'src/renderer must not import from the engine layer ("../main/engine/engine").',
      'src/renderer may import only src/shared and browser packages, not "dockerode" ("dockerode").',
    ]);
  });

  it("fails an engine folder importing a higher one, or one of its own rank, by the engine's order", async () => {
    expect(await lintAs('engine-imports-upward.ts', 'src/main/engine/docker/forbidden.ts')).toEqual([
      'src/main/engine/docker must not import from src/main/engine/deploy (the engine\'s order: a folder imports only lower ones) ("../deploy/deploy-queue").',
      'src/main/engine/docker must not import from src/main/engine/apps (the engine\'s order: a folder imports only lower ones) ("../apps/apps-service").',
    ]);
    expect(await lintAs('engine-imports-sibling.ts', 'src/main/engine/secrets/forbidden.ts')).toEqual([
      'src/main/engine/secrets must not import from src/main/engine/logs (the engine\'s order: a folder imports only lower ones) ("../logs/deployment-logs").',
    ]);
  });

  it('fails a new engine folder until it has a place in the order', async () => {
    expect(await lintAs('engine-imports-sibling.ts', 'src/main/engine/newthing/forbidden.ts')).toEqual([
      'src/main/engine/newthing has no place in the engine\'s order (add it to ENGINE_RANKS) ("../logs/deployment-logs").',
    ]);
  });

  it('lets the renderer import src/shared and browser packages', async () => {
    expect(await lintAs('renderer-imports-shared.ts', 'src/renderer/allowed.ts')).toEqual([]);
  });
});

describe('markup in the renderer', () => {
  it('fails every way of turning a string into HTML, and lets text through', async () => {
    const never = 'Build elements or text nodes, never markup from a string.';
    expect(await lintAs('renderer-html-sinks.tsx', 'src/renderer/forbidden.tsx', 'no-restricted-syntax')).toEqual([
      'Render text as React children, never as HTML.',
      'Set textContent, never innerHTML or outerHTML.',
      'Set textContent, never innerHTML or outerHTML.',
      never,
      never,
      'Never parse a string as markup.',
      never,
    ]);
  });

  it('does not apply outside the renderer', async () => {
    expect(await lintAs('renderer-html-sinks.tsx', 'src/main/allowed.tsx', 'no-restricted-syntax')).toEqual([]);
  });
});
