import type { ComponentSpec } from '../../../../shared/spec/app-spec';
import { GO_RUNTIME_IMAGE, GO_SHELL_RUNTIME_IMAGE, goImage, type ImageList } from './base-images';
import { cmdExec, cmdShell, dockerfileText, runShell } from './dockerfile-text';
import { procfileWeb } from './procfile';
import type { RecipeResult } from './recipe-result';
import type { SourceFiles } from './source-files';
import { goVersion } from './versions';

const BINARY = '/app/server';

/** The Go build: a static binary (CGO_ENABLED=0) built in golang, run alone in a small runtime image. */
export function goRecipe(files: SourceFiles, component: ComponentSpec, images: ImageList): RecipeResult {
  const goMod = files.read('go.mod');
  const version = goVersion(goMod, images);
  const image = goImage(version.version);
  const install = 'go mod download';
  const build = component.buildCommand ?? `go build -ldflags="-s -w" -o ${BINARY} .`;
  const run = component.runCommand ?? procfileWeb(files.read('Procfile'));
  const port = component.httpPort;
  // The small runtime image has no shell: a run_command or Procfile line needs one that has.
  const runtime = run ? GO_SHELL_RUNTIME_IMAGE : GO_RUNTIME_IMAGE;
  const lines = [
    `FROM ${image} AS build`,
    'WORKDIR /src',
    'ENV CGO_ENABLED=0',
    `COPY go.mod ${files.exists('go.sum') ? 'go.sum ' : ''}./`,
    runShell(install),
    'COPY . .',
    runShell(build),
    '',
    `FROM ${runtime}`,
    'WORKDIR /app',
    `COPY --from=build ${BINARY} ${BINARY}`,
  ];
  if (port !== null) lines.push(`ENV PORT=${port}`, `EXPOSE ${port}`);
  lines.push(run ? cmdShell(run) : cmdExec([BINARY]));
  return {
    version,
    install,
    build,
    start: run ?? BINARY,
    baseImages: [image, runtime],
    dockerfile: dockerfileText('go', lines),
    files: {},
  };
}
