/**
 * How a component is built when Slipway generates its Dockerfile (or uses the
 * user's own): what `apps spec plan`, the window's "Build plan" and the build
 * log show. Made by the engine, which sees the source files.
 */
import type { SpecProblem } from './spec/app-spec';

export type BuildRecipe = 'dockerfile' | 'node' | 'python' | 'go' | 'static';

export interface BuildPlan {
  component: string;
  recipe: BuildRecipe;
  /** Why: 'dockerfile_path: Dockerfile', 'environment_slug: node-js', 'package.json found', … */
  detectedBy: string;
  /** The language version and where it came from, e.g. { version: '20', from: 'package.json engines.node' }; null for dockerfile. */
  version: { version: string; from: string } | null;
  /** e.g. 'npm ci' / 'pip install -r requirements.txt'; null when there is nothing to install. */
  install: string | null;
  /** build_command, else the package's build script, else null. */
  build: string | null;
  /** run_command, else Procfile web:, else the language default; for static: 'Caddy serves <output_dir>'. */
  start: string | null;
  /** e.g. ['node:20-bookworm-slim'] or ['busybox:stable', 'caddy:2'] for a static site. */
  baseImages: string[];
  /** The generated Dockerfile; null when the user's own is used (recipe 'dockerfile'). */
  dockerfile: string | null;
  /** Extra files the generated build needs in its context (e.g. '.slipway/Caddyfile'), path → content. Never written to the user's folder. */
  files: Record<string, string>;
}

/** A database the spec runs with the app: where its image and data come from. */
export interface DatabasePlan {
  name: string;
  engine: string;
  version: string;
  image: string;
  volume: string;
}

export interface SpecPlanResult {
  plans: BuildPlan[];
  /** Started before the components, each from its image with its data on its volume. */
  databases: DatabasePlan[];
  errors: SpecProblem[];
  warnings: SpecProblem[];
}
