import type { ComponentSpec } from '../../../../shared/spec/app-spec';
import { nodeImage, type ImageList } from './base-images';
import { cmdShell, dockerfileText, runShell } from './dockerfile-text';
import { nodeInstall, readNodePackage, runScript, type NodePackage } from './node-package';
import { procfileWeb } from './procfile';
import type { RecipeResult } from './recipe-result';
import type { SourceFiles } from './source-files';
import { nodeVersion } from './versions';

/** The Node build: install (when there are dependencies), build, start; lockfiles first so a code change keeps the install layer. */
export function nodeRecipe(files: SourceFiles, component: ComponentSpec, images: ImageList): RecipeResult {
  const pkg = readNodePackage(files) ?? emptyPackage();
  const version = nodeVersion(files, pkg.engines, images);
  const image = nodeImage(version.version);
  const install = nodeInstall(pkg);
  const build = component.buildCommand ?? (pkg.scripts.build ? runScript(pkg, 'build') : null);
  const start = component.runCommand ?? procfileWeb(files.read('Procfile')) ?? nodeStart(pkg, files);
  const port = component.httpPort;
  const lines = [`FROM ${image}`, 'WORKDIR /app'];
  if (install) {
    const manifests = ['package.json', pkg.lockfile, files.exists('.npmrc') ? '.npmrc' : null].filter(
      (f): f is string => f !== null,
    );
    lines.push(`COPY ${manifests.join(' ')} ./`, runShell(install));
  }
  lines.push('COPY . .');
  if (build) lines.push(runShell(build));
  lines.push('ENV NODE_ENV=production');
  if (port !== null) lines.push(`ENV PORT=${port}`, `EXPOSE ${port}`);
  lines.push(cmdShell(start));
  return { version, install, build, start, baseImages: [image], dockerfile: dockerfileText('node', lines), files: {} };
}

/** npm's own rule for `npm start` without a start script is `node server.js`; a `main` file is Railpack's next guess. */
function nodeStart(pkg: NodePackage, files: SourceFiles): string {
  if (pkg.scripts.start) return pkg.manager === 'npm' ? 'npm start' : `${pkg.manager} start`;
  if (pkg.main && files.exists(pkg.main)) return `node ${pkg.main}`;
  if (files.exists('index.js')) return 'node index.js';
  return 'npm start';
}

function emptyPackage(): NodePackage {
  return { manager: 'npm', lockfile: null, hasDependencies: false, scripts: {}, engines: null, main: null };
}
