import { SlipwayError } from '../../../../shared/errors';
import type { ComponentSpec } from '../../../../shared/spec/app-spec';
import { CADDY_IMAGE, nodeImage, STATIC_BUILDER_IMAGE, type ImageList } from './base-images';
import { caddyfile, SITE_ROOT } from './caddyfile';
import { cmdExec, dockerfileText, runShell } from './dockerfile-text';
import { nodeInstall, readNodePackage, runScript } from './node-package';
import type { RecipeResult } from './recipe-result';
import type { SourceFiles } from './source-files';
import { nodeVersion } from './versions';

/** Where the generated Caddyfile is in the build context. */
export const CADDYFILE_PATH = '.slipway/Caddyfile';
/** The port a static site's server listens on when the spec gives none. */
export const STATIC_SITE_PORT = 8080;
/** DigitalOcean's output folders, looked for in this order when output_dir is absent. */
export const DEFAULT_OUTPUT_DIRS = ['_static', 'dist', 'public', 'build'] as const;
// The builder stage leaves the site here for the server stage to copy.
const BUILT_SITE = '/slipway-site';

/**
 * A static site: build_command in a builder stage (Node's image when the source has a
 * package.json, else busybox), then Caddy serves the output folder with the site's documents.
 */
export function staticRecipe(
  files: SourceFiles,
  component: ComponentSpec,
  images: ImageList,
  builder: 'node' | 'plain',
): RecipeResult {
  const site = component.staticSite ?? {
    outputDir: null,
    indexDocument: 'index.html',
    errorDocument: null,
    catchallDocument: null,
  };
  const pkg = builder === 'node' ? readNodePackage(files) : null;
  const version = pkg ? nodeVersion(files, pkg.engines, images) : null;
  const builderImage = version ? nodeImage(version.version) : STATIC_BUILDER_IMAGE;
  const install = pkg ? nodeInstall(pkg) : null;
  const build = component.buildCommand ?? (pkg?.scripts.build ? runScript(pkg, 'build') : null);
  const outputDir = site.outputDir === null ? null : outputPath(site.outputDir);
  const port = component.httpPort ?? STATIC_SITE_PORT;

  const lines = [`FROM ${builderImage} AS build`, 'WORKDIR /app', 'COPY . .'];
  if (install) lines.push(runShell(install));
  if (build) lines.push(runShell(build));
  lines.push(runShell(selectOutput(outputDir)));
  lines.push(
    '',
    `FROM ${CADDY_IMAGE}`,
    `COPY --from=build ${BUILT_SITE} ${SITE_ROOT}`,
    `COPY ${CADDYFILE_PATH} /etc/caddy/Caddyfile`,
    `EXPOSE ${port}`,
    cmdExec(['caddy', 'run', '--config', '/etc/caddy/Caddyfile', '--adapter', 'caddyfile']),
  );
  const served = outputDir === null ? `the first of ${DEFAULT_OUTPUT_DIRS.join(', ')}` : outputDir || '/';
  return {
    version,
    install,
    build,
    start: `Caddy serves ${served}`,
    baseImages: [builderImage, CADDY_IMAGE],
    dockerfile: dockerfileText('static', lines),
    files: {
      [CADDYFILE_PATH]: caddyfile({
        port,
        indexDocument: site.indexDocument,
        errorDocument: site.errorDocument,
        catchallDocument: site.catchallDocument,
      }),
    },
  };
}

/**
 * The shell step that moves the built site where the server stage takes it: output_dir, else the
 * first of DigitalOcean's folders that the build made, else the whole source (a plain HTML site).
 */
function selectOutput(outputDir: string | null): string {
  const whole = `mkdir -p ${BUILT_SITE} && cp -a . ${BUILT_SITE}/ && rm -rf ${BUILT_SITE}/.slipway`;
  if (outputDir === '') return whole;
  if (outputDir !== null) {
    return `if [ -d '${outputDir}' ]; then cp -a '${outputDir}' ${BUILT_SITE}; else echo "output_dir ${outputDir}: the build made no such folder" >&2; exit 1; fi`;
  }
  const tries = DEFAULT_OUTPUT_DIRS.map((d) => `if [ -d ${d} ]; then cp -a ${d} ${BUILT_SITE}; exit 0; fi`);
  return `${tries.join('; ')}; ${whole}`;
}

/** output_dir as a relative folder ('' for the source itself), of plain path characters since it enters a shell step. */
function outputPath(dir: string): string {
  const clean = dir
    .split('/')
    .filter((p) => p !== '' && p !== '.')
    .join('/');
  if (!/^[A-Za-z0-9._/-]*$/.test(clean) || clean.split('/').includes('..')) {
    throw new SlipwayError(
      'SPEC_INVALID',
      `output_dir: ${JSON.stringify(dir)} must be a folder inside the source (letters, digits, . _ - /)`,
      { field: 'output_dir' },
    );
  }
  return clean;
}
