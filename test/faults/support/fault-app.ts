import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { writeSiteApp } from '../../support/deploy-fixtures';

/** How the next version makes a phase last until the test is done with it. */
export interface VersionOptions {
  /** A build step that waits (bounded, 2 minutes) for `/release` inside its own container, after a layer of its own. */
  holdBuild?: boolean;
  /** A health check on `/ready`, which fails (for at most 50 s) until the test creates `/www/ready` in the container. */
  holdHealth?: boolean;
  /** Extra Dockerfile lines before the CMD, e.g. a step that fills the disk. */
  extraSteps?: string[];
}

const CMD = 'CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]';

/** Waits for the test's file, with a bound, so a build nobody releases still ends by itself. */
const HOLD_STEP = 'RUN i=0; while [ ! -e /release ] && [ $i -lt 120 ]; do sleep 1; i=$((i+1)); done; [ -e /release ]';

/**
 * A busybox site app whose every version serves its own page, and whose next
 * version can be made to stay in a phase (building, health-checking) until
 * the test lets it go on.
 */
export class FaultApp {
  private version = 0;

  private constructor(
    readonly name: string,
    readonly dir: string,
  ) {}

  static async create(parent: string, name: string): Promise<FaultApp> {
    const dir = await writeSiteApp(parent, { name });
    const app = new FaultApp(name, dir);
    return app;
  }

  get specPath(): string {
    return path.join(this.dir, 'app.yaml');
  }

  /** What the version being written serves at `/`. */
  get page(): string {
    return `${this.name} v${this.version}\n`;
  }

  /** Writes the next version's page, Dockerfile and spec; returns the page it will serve. */
  async nextVersion(options: VersionOptions = {}): Promise<string> {
    this.version += 1;
    await writeFile(path.join(this.dir, 'site', 'index.html'), this.page);
    const steps = ['FROM busybox:stable', 'COPY site/ /www/'];
    // A layer only this build makes, before the hold: what a cleanup must find and remove.
    if (options.holdBuild) steps.push(`RUN echo ${randomBytes(8).toString('hex')} > /stamp`, HOLD_STEP);
    steps.push(...(options.extraSteps ?? []), CMD, '');
    await writeFile(path.join(this.dir, 'Dockerfile'), steps.join('\n'));
    await writeFile(
      this.specPath,
      [
        `name: ${this.name}`,
        'services:',
        '  - name: web',
        '    dockerfile_path: Dockerfile',
        '    http_port: 8080',
        '    health_check:',
        `      http_path: ${options.holdHealth ? '/ready' : '/'}`,
        '      period_seconds: 1',
        `      failure_threshold: ${options.holdHealth ? 50 : 3}`,
        '',
      ].join('\n'),
    );
    return this.page;
  }
}
