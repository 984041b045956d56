import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { lineSplitter } from '../base/line-splitter';
import { redactCredentials } from '../secrets/url-credentials';
import { ensurePrivateDir } from '../store/private-files';
import { SlipwayError } from '../../../shared/errors';
import { checkCloneUrl, checkGitBranch } from '../../../shared/spec/git-source';
import { gitRemote } from './git-credentials';

export interface GitSourceOptions {
  /** https://, http://, ssh://, file://, scp-like `git@host:path`, or an absolute local path. */
  url: string;
  /** Branch (or tag) to deploy; empty or absent means the remote's default branch. */
  branch?: string;
  /** Exact revision to check out instead of the branch tip (a redeploy of the same revision). */
  commit?: string;
  /** A folder owned by Slipway for this source: it is force-checked-out and cleaned on every fetch. */
  cacheDir: string;
  onLog?: (line: string) => void;
  signal?: AbortSignal;
}

export interface GitSource {
  dir: string;
  /** The full object name of the checked-out commit. */
  commit: string;
  /** The commit message's subject (its first line), as `git log --format=%s` gives it; cut to 200 characters. */
  subject: string;
}

/*
 * Every git invocation carries these. ext:: runs an arbitrary command as a transport,
 * and hooks in a cache we fetch into must never run.
 */
const HARDENING = ['-c', 'protocol.ext.allow=never', '-c', 'core.hooksPath=/dev/null'];

// Inherited from a parent git (a hook, a `git rebase --exec`), these would point every command at another repository.
const GIT_ENV_TO_DROP = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR',
  'GIT_NAMESPACE',
  'GIT_CEILING_DIRECTORIES',
  'GIT_CONFIG_PARAMETERS',
  'GIT_CONFIG_COUNT',
];

const STDERR_TAIL_LINES = 5;
const KILL_GRACE_MS = 3000;
const FULL_OBJECT_NAME = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** Fetches url at branch (or exactly at commit) into cacheDir, reusing what an earlier fetch left there. */
export async function fetchGitSource(options: GitSourceOptions): Promise<GitSource> {
  validateGitUrl(options.url);
  const branch = options.branch ?? '';
  if (branch !== '') validateGitBranch(branch);
  const wanted = options.commit === undefined ? undefined : options.commit.toLowerCase();
  if (wanted !== undefined) validateGitCommit(wanted);

  const dir = resolve(options.cacheDir);
  // The credential travels in git's environment; argv, the cache's config and the log see the bare URL.
  const remote = gitRemote(options.url);
  const git = new GitRunner(dir, options.onLog, options.signal, remote.env);
  git.throwIfAborted();
  const ref = branch === '' ? 'HEAD' : branch;

  const cached = await isRepository(dir);
  if (!cached) await assertEmptyOrMissing(dir);
  // A checkout is someone's source code: its folder is 0700 (tightened if an older version made it 0755), so
  // nothing in it is reachable by another user. Modes inside stay git's: they go into the image as they are.
  await ensurePrivateDir(dir);
  if (!cached) {
    const branchArgs = branch === '' ? [] : ['--branch', branch];
    const clone = ['clone', '--progress', '--depth', '1', '--single-branch', '--no-tags', ...branchArgs];
    await git.run([...clone, '--', remote.url, dir], { cwd: dirname(dir) });
  } else {
    // The app may have been pointed at another repository since the cache was made (or an older
    // version recorded the URL with its credential).
    const current = await git.run(['config', '--get', 'remote.origin.url'], { allowFailure: true, quiet: true });
    if (current.stdout.trim() !== remote.url) {
      await git.run(['config', '--', 'remote.origin.url', remote.url], { quiet: true });
    }
    if (wanted === undefined) {
      await git.run(['fetch', '--progress', '--depth', '1', '--no-tags', 'origin', '--', ref]);
      await git.run(['checkout', '--force', '--detach', 'FETCH_HEAD']);
      await git.run(['clean', '-ffdx']);
    }
  }

  if (wanted !== undefined) {
    let full = await git.resolveCommit(wanted);
    if (full === null) {
      // Works over file:// and on hosts that serve any reachable commit (GitHub, GitLab); needs the full name.
      const direct = await git.run(['fetch', '--progress', '--depth', '1', '--no-tags', 'origin', '--', wanted], {
        allowFailure: true,
      });
      if (direct.code !== 0) git.log(`commit ${wanted} cannot be fetched by name; fetching the history of ${ref}`);
      full = await git.resolveCommit(wanted);
    }
    if (full === null) {
      const shallow = await git.run(['rev-parse', '--is-shallow-repository'], { quiet: true });
      const deepen = shallow.stdout.trim() === 'true' ? ['--unshallow'] : [];
      await git.run(['fetch', '--progress', ...deepen, '--no-tags', 'origin', '--', ref]);
      full = await git.resolveCommit(wanted);
    }
    if (full === null) {
      throw new SlipwayError(
        'SOURCE_NOT_FOUND',
        `commit ${wanted} is not in ${redactCredentials(options.url)}${branch === '' ? '' : ` (branch ${branch})`}`,
        { commit: wanted, url: redactCredentials(options.url), branch },
      );
    }
    await git.run(['checkout', '--force', '--detach', full]);
    await git.run(['clean', '-ffdx']);
  }

  const head = (await git.run(['rev-parse', 'HEAD'], { quiet: true })).stdout.trim();
  if (!FULL_OBJECT_NAME.test(head)) {
    throw new SlipwayError('GIT_FAILED', `git rev-parse HEAD printed an unexpected value`, {
      output: head.slice(0, 100),
    });
  }
  // The subject comes back on stdout, as data: it is never put on a command line.
  const subject = (await git.run(['log', '-1', '--format=%s', head], { quiet: true })).stdout.trim();
  return { dir, commit: head, subject: cutSubject(subject) };
}

const SUBJECT_MAX = 200;

/** A subject is one line by git's own rules; it is cut so that a very long one cannot fill a history row. */
export function cutSubject(subject: string): string {
  const chars = [...subject.replace(/[\r\n]+/g, ' ')];
  return chars.length <= SUBJECT_MAX ? chars.join('') : `${chars.slice(0, SUBJECT_MAX - 1).join('')}…`;
}

/** Throws INVALID_REQUEST unless url is a git remote Slipway is willing to pass to git. */
export function validateGitUrl(url: string): void {
  // One set of rules for specs and for git itself: src/shared/spec/git-source.ts.
  const problem = checkCloneUrl(url);
  if (problem) {
    throw new SlipwayError('INVALID_REQUEST', `url ${problem}`, { field: 'url', url: redactCredentials(url) });
  }
}

/** Throws INVALID_REQUEST unless branch is a name git's check-ref-format accepts and cannot read as an option. */
export function validateGitBranch(branch: string): void {
  // One set of rules for specs and for git itself: src/shared/spec/git-source.ts.
  const problem = checkGitBranch(branch);
  if (problem) throw new SlipwayError('INVALID_REQUEST', `branch ${problem}`, { field: 'branch', branch });
}

/** Throws INVALID_REQUEST unless commit is an abbreviated or full hexadecimal object name. */
export function validateGitCommit(commit: string): void {
  if (!/^[0-9a-f]{7,64}$/.test(commit)) {
    throw new SlipwayError('INVALID_REQUEST', 'commit must be a hexadecimal commit name (7 to 64 characters)', {
      field: 'commit',
      commit: commit.slice(0, 80),
    });
  }
}

function abortError(signal: AbortSignal | undefined): Error {
  const err = new Error('The git fetch was canceled', { cause: signal?.reason });
  err.name = 'AbortError';
  return err;
}

async function isRepository(dir: string): Promise<boolean> {
  try {
    return (await stat(resolve(dir, '.git'))).isDirectory();
  } catch {
    return false;
  }
}

async function assertEmptyOrMissing(dir: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (names.length > 0) {
    // Refuse rather than clean: this folder is not a cache we made, and it may hold someone's files.
    throw new SlipwayError('GIT_FAILED', `The source cache ${dir} is not empty and is not a git checkout`, {
      cacheDir: dir,
    });
  }
}

interface RunOptions {
  cwd?: string;
  /** Return a non-zero exit instead of throwing. */
  allowFailure?: boolean;
  /** Plumbing queries: their output is data, not something for the build log. */
  quiet?: boolean;
}

interface RunResult {
  code: number;
  stdout: string;
}

class GitRunner {
  constructor(
    private readonly dir: string,
    private readonly onLog: ((line: string) => void) | undefined,
    private readonly signal: AbortSignal | undefined,
    /** Added to every git's environment: the remote's credential, never on its command line. */
    private readonly extraEnv: Record<string, string>,
  ) {}

  log(line: string): void {
    this.onLog?.(redactCredentials(line));
  }

  throwIfAborted(): void {
    if (this.signal?.aborted) throw abortError(this.signal);
  }

  async resolveCommit(commit: string): Promise<string | null> {
    const result = await this.run(['rev-parse', '--verify', '--quiet', `${commit}^{commit}`], {
      allowFailure: true,
      quiet: true,
    });
    const full = result.stdout.trim();
    return result.code === 0 && FULL_OBJECT_NAME.test(full) && full.startsWith(commit) ? full : null;
  }

  run(args: string[], options: RunOptions = {}): Promise<RunResult> {
    if (this.signal?.aborted) return Promise.reject(abortError(this.signal));
    const command = args[0] ?? '';
    if (!options.quiet) this.log(`$ git ${args.join(' ')}`);
    const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: '', LC_ALL: 'C' };
    for (const name of GIT_ENV_TO_DROP) delete env[name];
    Object.assign(env, this.extraEnv);
    const posix = process.platform !== 'win32';

    return new Promise<RunResult>((resolvePromise, reject) => {
      const child = spawn('git', [...HARDENING, ...args], {
        cwd: options.cwd ?? this.dir,
        env,
        shell: false,
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
        // Its own process group, so a cancel also stops the helpers git starts (ssh, git-remote-https).
        detached: posix,
      });

      let stdout = '';
      const stderrTail: string[] = [];
      let aborted = false;
      let killTimer: NodeJS.Timeout | undefined;

      const kill = (sig: NodeJS.Signals): void => {
        try {
          if (posix && child.pid !== undefined) process.kill(-child.pid, sig);
          else child.kill(sig);
        } catch {
          // Already gone.
        }
      };
      const onAbort = (): void => {
        aborted = true;
        kill('SIGTERM');
        killTimer = setTimeout(() => kill('SIGKILL'), KILL_GRACE_MS);
        killTimer.unref();
      };
      this.signal?.addEventListener('abort', onAbort, { once: true });

      const lines = (onLine: (line: string) => void) => {
        const split = lineSplitter({ breakOnCarriageReturn: true });
        return {
          push: (chunk: Buffer) => split.push(chunk).forEach(onLine),
          end: () => split.end().forEach(onLine),
        };
      };
      const emit = (raw: string): void => {
        // The remote pads its progress lines with spaces to overwrite the previous one.
        const line = raw.trimEnd();
        if (line !== '' && !options.quiet) this.log(line);
      };
      const out = lines(emit);
      const err = lines((raw) => {
        emit(raw);
        const line = raw.trim();
        if (line === '') return;
        stderrTail.push(redactCredentials(line));
        if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
      });

      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
        out.push(chunk);
      });
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk));

      let settled = false;
      const finish = (): boolean => {
        if (settled) return false;
        settled = true;
        this.signal?.removeEventListener('abort', onAbort);
        if (killTimer) clearTimeout(killTimer);
        return true;
      };
      child.on('error', (e: NodeJS.ErrnoException) => {
        // Only a failure to start is final here; other errors (a failed kill) are followed by 'close'.
        if (child.pid !== undefined || !finish()) return;
        // ENOENT means either no git on the PATH or a working directory that vanished.
        const cwd = options.cwd ?? this.dir;
        const message =
          e.code === 'ENOENT'
            ? existsSync(cwd)
              ? 'git is not installed or not on the PATH'
              : `git could not be started: ${cwd} does not exist`
            : `git could not be started: ${e.message}`;
        reject(new SlipwayError('GIT_FAILED', message, { command, cause: e.code }));
      });
      child.on('close', (code, sig) => {
        if (!finish()) return;
        out.end();
        err.end();
        if (aborted) return reject(abortError(this.signal));
        const exitCode = code ?? -1;
        if (exitCode === 0 || options.allowFailure) return resolvePromise({ code: exitCode, stdout });
        const why = sig ? `was killed by ${sig}` : `exited with code ${exitCode}`;
        reject(
          new SlipwayError(
            'GIT_FAILED',
            `git ${command} ${why}${stderrTail.length > 0 ? `: ${stderrTail.join(' / ')}` : ''}`,
            { command, exitCode, signal: sig ?? undefined, stderr: [...stderrTail] },
          ),
        );
      });
    });
  }
}
