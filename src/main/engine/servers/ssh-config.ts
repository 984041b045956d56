import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * One `Host` block of ~/.ssh/config (or the lines before the first one), with
 * the values it sets. Blocks are kept rather than flattened per alias because
 * OpenSSH decides per target host which blocks apply; `resolveSshAlias` does that.
 */
export interface SshConfigHost {
  /** The concrete names this block offers: its patterns without wildcards or negation. */
  aliases: string[];
  /** Every pattern of the `Host` line, `!negated` ones included. */
  patterns: string[];
  /** Pattern lists of the blocks whose `Include` brought this block in: each must match too. */
  within: string[][];
  hostName?: string;
  user?: string;
  port?: number;
  /** As written, unquoted: `~` and `%` tokens depend on the resolved host, so `resolveSshAlias` expands them. */
  identityFiles: string[];
  /** `[]` stands for `ProxyJump none`, which overrides later blocks. */
  proxyJump?: string[];
  /** Only kept because it competes with ProxyJump for the first-value-wins slot; Slipway runs no commands. */
  proxyCommand?: string;
}

export interface ResolvedSshAlias {
  alias: string;
  hostName: string;
  user?: string;
  port: number;
  identityFiles: string[];
  proxyJump: string[];
  /** Set when a ProxyCommand (other than `none`) won over ProxyJump: the caller cannot honour it and should say so. */
  proxyCommand?: string;
}

/** Synchronous file access for `Include`, injectable so tests need no real home directory. */
export interface ConfigFiles {
  /** The file's text, or undefined when it cannot be read. */
  read(file: string): string | undefined;
  /** The entry names of a directory, or [] when it cannot be listed. */
  list(dir: string): string[];
}

export interface ParseOptions {
  homeDir?: string;
  files?: ConfigFiles;
}

export interface ResolveEnv {
  homeDir: string;
  localUser: string;
}

// OpenSSH allows 16; the brief's 4 is plenty for real configs and stops include cycles early.
const MAX_INCLUDE_DEPTH = 4;

const nodeFiles: ConfigFiles = {
  read: (file) => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  },
  list: (dir) => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  },
};

/** OpenSSH's `*`/`?` pattern match (ssh_config(5) PATTERNS), case-sensitive like `match_pattern`. */
export function matchWildcard(text: string, pattern: string): boolean {
  // Greedy with one backtrack point: linear enough, and no RegExp built from file contents.
  let t = 0;
  let p = 0;
  let starP = -1;
  let starT = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      t++;
      p++;
    } else if (p < pattern.length && pattern[p] === '*') {
      starP = p++;
      starT = t;
    } else if (starP >= 0) {
      p = starP + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

const hasWildcard = (pattern: string) => /[*?]/.test(pattern);

/** Whether a `Host` pattern list selects `alias`: some pattern matches and no `!pattern` does. */
function hostMatches(patterns: string[], alias: string): boolean {
  let positive = false;
  for (const pattern of patterns) {
    if (pattern.startsWith('!')) {
      if (matchWildcard(alias, pattern.slice(1))) return false;
    } else if (matchWildcard(alias, pattern)) {
      positive = true;
    }
  }
  return positive;
}

/**
 * Splits arguments the way OpenSSH's `argv_split` does: whitespace separates,
 * single or double quotes group, backslash escapes quotes and backslashes, and
 * an unquoted `#` at the start of an argument ends the line. Null when a quote is left open.
 */
function splitArgs(text: string): string[] | null {
  const args: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i] ?? '')) i++;
    if (i >= text.length || text[i] === '#') break;
    let arg = '';
    let quote = '';
    for (; i < text.length; i++) {
      const c = text[i] ?? '';
      if (!quote && /\s/.test(c)) break;
      const next = text[i + 1] ?? '';
      if (c === '\\' && (next === '"' || next === "'" || next === '\\' || (!quote && next === ' '))) {
        arg += next;
        i++;
      } else if (!quote && (c === '"' || c === "'")) {
        quote = c;
      } else if (quote && c === quote) {
        quote = '';
      } else {
        arg += c;
      }
    }
    if (quote) return null;
    args.push(arg);
  }
  return args;
}

/** `Keyword value…` or `Keyword=value…`; null for lines OpenSSH would reject, which Slipway skips. */
function splitLine(line: string): { keyword: string; args: string[]; rest: string } | null {
  const m = /^([^\s=]+)(?:\s*=\s*|\s+|$)(.*)$/.exec(line.trim());
  const args = m ? splitArgs(m[2] ?? '') : null;
  if (!m || !args) return null;
  return { keyword: (m[1] ?? '').toLowerCase(), args, rest: (m[2] ?? '').trim() };
}

function parseJumps(args: string[]): string[] {
  return args
    .join(',')
    .split(',')
    .map((hop) => hop.trim())
    .filter(Boolean);
}

function parsePort(value: string): number | undefined {
  if (!/^\d{1,5}$/.test(value)) return undefined;
  const port = Number(value);
  return port >= 1 && port <= 65535 ? port : undefined;
}

/** Include targets: relative paths live in ~/.ssh, and a wildcard may appear in the last segment only. */
function includeTargets(arg: string, homeDir: string, files: ConfigFiles): string[] {
  // ~otheruser/…: Slipway only knows its own user's home.
  if (arg.startsWith('~') && arg !== '~' && !arg.startsWith('~/')) return [];
  const file = arg.startsWith('~')
    ? path.join(homeDir, arg.slice(1))
    : path.isAbsolute(arg)
      ? arg
      : path.join(homeDir, '.ssh', arg);
  const dir = path.dirname(file);
  const base = path.basename(file);
  if (hasWildcard(dir)) return [];
  if (!hasWildcard(base)) return [file];
  return files
    .list(dir)
    .filter((name) => (name.startsWith('.') ? base.startsWith('.') : true) && matchWildcard(name, base))
    .sort()
    .map((name) => path.join(dir, name));
}

interface ParseState {
  homeDir: string;
  files: ConfigFiles;
  out: SshConfigHost[];
}

const newBlock = (patterns: string[], within: string[][]): SshConfigHost => ({
  aliases: [...new Set(patterns.filter((p) => !p.startsWith('!') && !hasWildcard(p)))],
  patterns,
  within,
  identityFiles: [],
});

function parseInto(text: string, within: string[][], depth: number, state: ParseState): void {
  // Lines before the first Host apply to every host that reached this file.
  let block: SshConfigHost | null = newBlock(['*'], within);
  const listed = new Set<SshConfigHost>();
  const claim = (b: SshConfigHost): SshConfigHost => {
    if (!listed.has(b)) {
      listed.add(b);
      state.out.push(b);
    }
    return b;
  };
  for (const raw of text.split(/\r?\n/)) {
    const line = splitLine(raw);
    if (!line) continue;
    const { keyword, args, rest } = line;
    if (keyword === 'host') {
      // A bare `Host` matches nothing in OpenSSH; as an empty block it keeps its lines out of the previous one.
      block = claim(newBlock(args, within));
      continue;
    }
    if (keyword === 'match') {
      // Match criteria (exec, canonical, localuser…) need a live ssh to evaluate: skip the block, contents and all.
      block = null;
      continue;
    }
    const [first] = args;
    if (!block || first === undefined) continue;
    switch (keyword) {
      case 'hostname':
        claim(block).hostName ??= first;
        break;
      case 'user':
        claim(block).user ??= first;
        break;
      case 'port': {
        const port = parsePort(first);
        if (port !== undefined) claim(block).port ??= port;
        break;
      }
      case 'identityfile':
        claim(block).identityFiles.push(first);
        break;
      case 'proxyjump':
      case 'proxycommand': {
        // OpenSSH lets whichever of the two comes first win, and `none` of either still takes the slot.
        const b = claim(block);
        if (b.proxyJump !== undefined || b.proxyCommand !== undefined) break;
        if (keyword === 'proxycommand') b.proxyCommand = rest;
        else b.proxyJump = args.length === 1 && first.toLowerCase() === 'none' ? [] : parseJumps(args);
        break;
      }
      case 'include': {
        if (depth >= MAX_INCLUDE_DEPTH) break;
        const scope = [...within, block.patterns];
        for (const arg of args) {
          for (const file of includeTargets(arg, state.homeDir, state.files)) {
            const included = state.files.read(file);
            if (included !== undefined) parseInto(included, scope, depth + 1, state);
          }
        }
        // The includer's block carries on after the Include, so its later values rank after the included ones.
        block = newBlock(block.patterns, within);
        break;
      }
      default:
        // Other keywords, and junk, do not concern Slipway.
        break;
    }
  }
}

/** Parses ssh_config text into its Host blocks, following `Include` via `options.files` (the real disk by default). */
export function parseSshConfig(text: string, options: ParseOptions = {}): SshConfigHost[] {
  const state: ParseState = { homeDir: options.homeDir ?? os.homedir(), files: options.files ?? nodeFiles, out: [] };
  parseInto(text, [], 0, state);
  return state.out;
}

function expandTokens(value: string, tokens: Record<string, string>): string {
  // Tokens Slipway cannot know for sure (%C, %i, %l, %L, %j, %k…) stay as written.
  return value.replace(/%(.)/g, (whole, token: string) => tokens[token] ?? whole);
}

function expandTilde(file: string, homeDir: string): string {
  return file === '~' || file.startsWith('~/') ? path.join(homeDir, file.slice(1)) : file;
}

const defaultEnv = (): ResolveEnv => ({ homeDir: os.homedir(), localUser: os.userInfo().username });

/** What ssh would use for `alias`, or null when no Host line names it; first obtained value wins, as in OpenSSH. */
export function resolveSshAlias(
  hosts: SshConfigHost[],
  alias: string,
  env: ResolveEnv = defaultEnv(),
): ResolvedSshAlias | null {
  if (!hosts.some((h) => h.aliases.includes(alias))) return null;
  let hostName: string | undefined;
  let user: string | undefined;
  let port: number | undefined;
  let proxyJump: string[] | undefined;
  let proxyCommand: string | undefined;
  const identityFiles: string[] = [];
  for (const h of hosts) {
    if (!hostMatches(h.patterns, alias) || !h.within.every((patterns) => hostMatches(patterns, alias))) continue;
    hostName ??= h.hostName;
    user ??= h.user;
    port ??= h.port;
    identityFiles.push(...h.identityFiles);
    if (proxyJump === undefined && proxyCommand === undefined) {
      proxyJump = h.proxyJump;
      proxyCommand = h.proxyCommand;
    }
  }
  const resolvedHost = hostName === undefined ? alias : expandTokens(hostName, { h: alias, '%': '%' });
  const resolvedPort = port ?? 22;
  const tokens: Record<string, string> = {
    '%': '%',
    d: env.homeDir,
    u: env.localUser,
    h: resolvedHost,
    n: alias,
    p: String(resolvedPort),
    r: user ?? env.localUser,
  };
  const files = identityFiles.map((file) => expandTilde(expandTokens(file, tokens), env.homeDir));
  return {
    alias,
    hostName: resolvedHost,
    ...(user !== undefined ? { user } : {}),
    port: resolvedPort,
    identityFiles: [...new Set(files)],
    proxyJump: proxyJump ?? [],
    ...(proxyCommand !== undefined && proxyCommand.toLowerCase() !== 'none' ? { proxyCommand } : {}),
  };
}

/** The Host blocks of the user's ssh config (their `aliases` are the server suggestions); a missing file gives []. */
export async function readSshConfigHosts(
  file = path.join(os.homedir(), '.ssh', 'config'),
  options: ParseOptions = {},
): Promise<SshConfigHost[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw err;
  }
  return parseSshConfig(text, options);
}
