import { SlipwayError } from '../../../../shared/errors';
import type { SourceFiles } from './source-files';

export type PlanLanguage = 'node' | 'python' | 'go' | 'static';

export interface DetectedLanguage {
  language: PlanLanguage;
  detectedBy: string;
}

/** DigitalOcean's buildpack slugs Slipway builds, and what it builds them as. */
const SLUGS: Record<string, PlanLanguage> = {
  'node-js': 'node',
  nodejs: 'node',
  node: 'node',
  python: 'python',
  go: 'go',
  golang: 'go',
  html: 'static',
  static: 'static',
};

/** What shows each language Slipway cannot build yet, in the order Railpack looks for them. */
const UNSUPPORTED: Array<{ language: string; files: string[] }> = [
  { language: 'php', files: ['composer.json', 'index.php'] },
  { language: 'java', files: ['pom.xml', 'build.gradle', 'build.gradle.kts', 'gradlew'] },
  { language: 'rust', files: ['Cargo.toml'] },
  { language: 'ruby', files: ['Gemfile'] },
  { language: 'elixir', files: ['mix.exs'] },
  { language: 'deno', files: ['deno.json', 'deno.jsonc'] },
  { language: 'dotnet', files: ['global.json'] },
];

const PYTHON_FILES = ['requirements.txt', 'pyproject.toml', 'Pipfile', 'setup.py'];

/**
 * The language a component is built as: its `environment_slug` when given, else what its files
 * show (after Railpack's order: a PHP app with a package.json for its assets is a PHP app).
 * `field` names the component in the error: `services[0]`.
 */
export function detectLanguage(files: SourceFiles, environmentSlug: string | null, field: string): DetectedLanguage {
  if (environmentSlug) {
    const language = SLUGS[environmentSlug.toLowerCase()];
    if (language) return { language, detectedBy: `environment_slug: ${environmentSlug}` };
    throw unsupported(field, environmentSlug, `environment_slug: ${environmentSlug}`);
  }
  for (const { language, files: markers } of UNSUPPORTED) {
    const found = markers.find((m) => files.exists(m));
    if (found) throw unsupported(field, language, `${found} found`);
  }
  if (files.exists('go.mod')) return { language: 'go', detectedBy: 'go.mod found' };
  const python = PYTHON_FILES.find((f) => files.exists(f));
  if (python) return { language: 'python', detectedBy: `${python} found` };
  if (files.exists('package.json')) return { language: 'node', detectedBy: 'package.json found' };
  if (files.exists('index.html')) return { language: 'static', detectedBy: 'index.html found' };
  if (files.exists('public/index.html') || files.list('public').length > 0) {
    return { language: 'static', detectedBy: 'public/ found' };
  }
  if (files.exists('main.py') || files.exists('app.py')) {
    return { language: 'python', detectedBy: `${files.exists('main.py') ? 'main.py' : 'app.py'} found` };
  }
  throw new SlipwayError(
    'LANGUAGE_UNSUPPORTED',
    `${field}: no Dockerfile and no language Slipway can build (looked for package.json, requirements.txt, pyproject.toml, Pipfile, go.mod, index.html); add a Dockerfile or set environment_slug.`,
    { path: field, language: null },
  );
}

function unsupported(field: string, language: string, detectedBy: string): SlipwayError {
  return new SlipwayError(
    'LANGUAGE_UNSUPPORTED',
    `${field}: ${language} (${detectedBy}) cannot be built by Slipway yet; add a Dockerfile (and dockerfile_path) to build it.`,
    { path: field, language },
  );
}
