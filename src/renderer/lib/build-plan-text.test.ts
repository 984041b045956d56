import { describe, expect, it } from 'vitest';
import type { BuildPlan } from '../../shared/build-plan';
import { ownDockerfilePath, recipeTitle, stepText, takeOverHint, versionText } from './build-plan-text';

const node: BuildPlan = {
  component: 'web',
  recipe: 'node',
  detectedBy: 'package.json found',
  version: { version: '20', from: 'package.json engines.node' },
  install: null,
  build: null,
  start: 'npm start',
  baseImages: ['node:20-bookworm-slim'],
  dockerfile: 'FROM node:20-bookworm-slim\n',
  files: {},
};

describe('build plan text', () => {
  it('names each recipe', () => {
    expect(recipeTitle('node')).toBe('Node.js');
    expect(recipeTitle('dockerfile')).toBe('Your Dockerfile');
    expect(recipeTitle('static')).toBe('Static site');
  });

  it('says the version and where it came from, or nothing without one', () => {
    expect(versionText(node)).toBe('20, from package.json engines.node');
    expect(versionText({ version: null })).toBeNull();
  });

  it('shows a step command, or what stands in for a missing one', () => {
    expect(stepText(node, 'start')).toBe('npm start');
    expect(stepText(node, 'install')).toBe('Nothing to install');
    expect(stepText(node, 'build')).toBe('No build step');
    expect(stepText({ ...node, start: null }, 'start')).toBe("The image's default command");
    const own = { ...node, recipe: 'dockerfile' as const, start: null };
    expect(stepText(own, 'start')).toBe("The Dockerfile's CMD");
    expect(stepText(own, 'install')).toBe('As your Dockerfile says');
    expect(stepText({ ...own, start: 'bin/serve' }, 'start')).toBe('bin/serve');
  });

  it("finds the user's Dockerfile in what the engine detected", () => {
    expect(ownDockerfilePath({ detectedBy: 'dockerfile_path: api/Dockerfile.prod' })).toBe('api/Dockerfile.prod');
    expect(ownDockerfilePath({ detectedBy: 'api/Dockerfile found' })).toBe('api/Dockerfile');
    expect(ownDockerfilePath({ detectedBy: 'a Dockerfile in the source' })).toBe('Dockerfile');
    expect(ownDockerfilePath({ detectedBy: 'something else' })).toBe('Dockerfile');
  });

  it('tells how to take the plan over, with its extra files when it has any', () => {
    expect(takeOverHint(node)).toBe(
      'To make it your own, save it as Dockerfile in the folder and set dockerfile_path in the spec; Slipway then builds your file as it is.',
    );
    expect(takeOverHint({ files: { '.slipway/Caddyfile': ':8080' } })).toContain('save the file below at its path too');
    expect(takeOverHint({ files: { a: '', b: '' } })).toContain('save the files below at their paths too');
  });
});
