import type { ComponentSpec } from '../../../../shared/spec/app-spec';
import { pythonImage, type ImageList } from './base-images';
import { cmdShell, dockerfileText, runShell } from './dockerfile-text';
import { procfileWeb } from './procfile';
import type { RecipeResult } from './recipe-result';
import type { SourceFiles } from './source-files';
import { pythonVersion } from './versions';

interface PythonInstall {
  command: string;
  /** Copied before the install, so a code change keeps the install layer. */
  manifests: string[];
}

/** The Python build: install (when anything is required), build_command, start (run_command, Procfile, the framework's server, main.py). */
export function pythonRecipe(files: SourceFiles, component: ComponentSpec, images: ImageList): RecipeResult {
  const version = pythonVersion(files, images);
  const image = pythonImage(version.version);
  const install = pythonInstall(files);
  const build = component.buildCommand;
  const start = component.runCommand ?? procfileWeb(files.read('Procfile')) ?? pythonStart(files);
  const port = component.httpPort;
  const lines = [`FROM ${image}`, 'WORKDIR /app', 'ENV PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1'];
  if (install) lines.push(`COPY ${install.manifests.join(' ')} ./`, runShell(install.command));
  lines.push('COPY . .');
  if (build) lines.push(runShell(build));
  if (port !== null) lines.push(`ENV PORT=${port}`, `EXPOSE ${port}`);
  lines.push(cmdShell(start));
  return {
    version,
    install: install?.command ?? null,
    build,
    start,
    baseImages: [image],
    dockerfile: dockerfileText('python', lines),
    files: {},
  };
}

/** A requirements.txt with no requirement in it (only comments) installs nothing: no pip step. */
function pythonInstall(files: SourceFiles): PythonInstall | null {
  const requirements = files.read('requirements.txt');
  if (requirements !== null) {
    const any = requirements.split(/\r?\n/).some((l) => l.trim() !== '' && !l.trim().startsWith('#'));
    return any ? { command: 'pip install --no-cache-dir -r requirements.txt', manifests: ['requirements.txt'] } : null;
  }
  if (files.exists('Pipfile')) {
    const lock = files.exists('Pipfile.lock') ? ['Pipfile', 'Pipfile.lock'] : ['Pipfile'];
    return {
      command: 'pip install --no-cache-dir pipenv && pipenv install --system --deploy',
      manifests: lock,
    };
  }
  // `pip install .` installs the project itself, which needs all of its code copied first.
  if (files.exists('pyproject.toml')) return { command: 'pip install --no-cache-dir .', manifests: ['.'] };
  return null;
}

/** What DigitalOcean's and Railpack's Python buildpacks start when nothing says: a detected framework's server, else main.py. */
function pythonStart(files: SourceFiles): string {
  const deps = [files.read('requirements.txt'), files.read('pyproject.toml'), files.read('Pipfile')]
    .filter((t): t is string => t !== null)
    .join('\n')
    .toLowerCase();
  const module = files.exists('main.py') ? 'main' : files.exists('app.py') ? 'app' : 'main';
  if (/\bdjango\b/.test(deps)) {
    const project = files.list('').find((dir) => files.exists(`${dir}/wsgi.py`) && files.exists(`${dir}/settings.py`));
    return `gunicorn --bind 0.0.0.0:$PORT ${project ?? 'app'}.wsgi`;
  }
  if (/\bfastapi\b/.test(deps)) return `uvicorn ${module}:app --host 0.0.0.0 --port $PORT`;
  if (/\bflask\b/.test(deps)) return `gunicorn --bind 0.0.0.0:$PORT ${module}:app`;
  return files.exists('main.py') || !files.exists('app.py') ? 'python main.py' : 'python app.py';
}
