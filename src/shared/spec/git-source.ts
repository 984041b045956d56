/*
 * Git inputs end up as arguments to `git clone`/`git fetch`. They are passed as argv (never a shell line) with `--`
 * before them, but are still held to strict rules here so that a spec can never smuggle in an option or a transport
 * helper (`--upload-pack=...`, `ext::sh -c ...`).
 */

// eslint-disable-next-line no-control-regex
const CONTROL_OR_SPACE = /[\u0000-\u0020\u007f]/;
const MAX_BRANCH = 255;
const MAX_URL = 2048;

/** Checks a branch name with `git check-ref-format --branch` rules; returns what is wrong, or null. */
export function checkGitBranch(branch: string): string | null {
  if (branch === '') return 'must not be empty';
  if (branch.length > MAX_BRANCH) return `must be at most ${MAX_BRANCH} characters`;
  if (branch.startsWith('-')) return 'must not start with "-"';
  if (CONTROL_OR_SPACE.test(branch)) return 'must not contain spaces or control characters';
  if (/[~^:?*[\\]/.test(branch)) return 'must not contain any of ~ ^ : ? * [ \\';
  if (branch.includes('..')) return 'must not contain ".."';
  if (branch.includes('@{')) return 'must not contain "@{"';
  if (branch === '@') return 'must not be "@"';
  if (branch.startsWith('/') || branch.endsWith('/') || branch.includes('//')) {
    return 'must not start or end with "/" or contain "//"';
  }
  if (branch.endsWith('.')) return 'must not end with "."';
  for (const part of branch.split('/')) {
    if (part.startsWith('.')) return 'no part between slashes may start with "."';
    if (part.endsWith('.lock')) return 'no part between slashes may end with ".lock"';
  }
  return null;
}

const HOST = String.raw`(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])`;
// Neither a user nor a host may start with "-": ssh would read it as an option.
const USERINFO = String.raw`(?:[^@/\s-][^@/\s]*@)?`;
// git percent-decodes a scheme:// URL before reading its user and host, so `%2D` is a "-" too.
const OPTION_LIKE = /^(?:-|%2d)/i;
const SCHEME_AUTHORITY = /^(?:https?|ssh|file):\/\/([^/]*)/;
const NETWORK_URL = new RegExp(String.raw`^(?:https?|ssh)://${USERINFO}${HOST}(?::\d{1,5})?/\S+$`);
const SCP_LIKE = new RegExp(String.raw`^[A-Za-z0-9][A-Za-z0-9._-]*@${HOST}:\S+$`);
// Every character a real clone URL needs, and none a shell or a quote would: such a URL is a mistake or an attack.
const URL_CHARACTERS = /^[A-Za-z0-9._~:/@%+=,[\]\\-]+$/;
const FILE_URL = /^file:\/\/\S+$/;
const POSIX_ABSOLUTE = /^\/\S*$/;
const WINDOWS_ABSOLUTE = /^[A-Za-z]:[\\/]\S*$/;

/** Checks a `repo_clone_url`; returns what is wrong, or null. */
export function checkCloneUrl(url: string): string | null {
  const expected =
    'must be a git URL: https://, http://, ssh://, user@host:path, file:// or an absolute path on this computer';
  if (url === '') return 'must not be empty';
  if (url.length > MAX_URL) return `must be at most ${MAX_URL} characters`;
  if (url.startsWith('-')) return 'must not start with "-"';
  if (CONTROL_OR_SPACE.test(url)) return 'must not contain spaces or control characters';
  if (url.includes('${')) return `${expected} (variables such as \${...} are not expanded here)`;
  if (!URL_CHARACTERS.test(url)) return 'must not contain shell or quoting characters such as $ ` ; | & < > ( ) \' "';
  const ok = [NETWORK_URL, SCP_LIKE, FILE_URL, POSIX_ABSOLUTE, WINDOWS_ABSOLUTE].some((pattern) => pattern.test(url));
  if (!ok) return expected;
  return hasOptionLikeAuthority(url) ? 'must not have a user or host starting with "-" (or "%2D")' : null;
}

/** Whether the user or host of a scheme:// URL starts with "-", as written or percent-encoded. */
function hasOptionLikeAuthority(url: string): boolean {
  const authority = SCHEME_AUTHORITY.exec(url)?.[1];
  if (authority === undefined) return false;
  const at = authority.lastIndexOf('@');
  const parts = at < 0 ? [authority] : [authority.slice(0, at), authority.slice(at + 1)];
  return parts.some((part) => OPTION_LIKE.test(part));
}

export type RepoHost = 'github' | 'gitlab' | 'bitbucket';

const HOSTS: Record<RepoHost, string> = {
  github: 'https://github.com',
  gitlab: 'https://gitlab.com',
  bitbucket: 'https://bitbucket.org',
};

const SEGMENT = /^[A-Za-z0-9_.-]+$/;

/** Checks a hosted repo name (`owner/name`; GitLab may nest groups); returns what is wrong, or null. */
export function checkRepoSlug(host: RepoHost, repo: string): string | null {
  const parts = repo.split('/');
  const shape = host === 'gitlab' ? 'owner/name (or group/subgroup/name)' : 'owner/name';
  const countOk = host === 'gitlab' ? parts.length >= 2 && parts.length <= 20 : parts.length === 2;
  if (!countOk) return `must be written as ${shape}`;
  for (const part of parts) {
    if (!SEGMENT.test(part) || part === '.' || part === '..' || part.startsWith('-')) {
      return `must be written as ${shape}, using only letters, digits, "_", "." and "-"`;
    }
  }
  return null;
}

/** The https clone URL of a hosted repo whose slug passed checkRepoSlug. */
export function hostedCloneUrl(host: RepoHost, repo: string): string {
  return `${HOSTS[host]}/${repo.replace(/\.git$/, '')}.git`;
}
