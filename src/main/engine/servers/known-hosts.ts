import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SlipwayError } from '../../../shared/errors';
import { sha256Fingerprint } from '../hosts/host-key';
import { matchWildcard } from './ssh-config';

/** Which host names a known_hosts line is about. */
export type KnownHostNames =
  | { kind: 'patterns'; patterns: string[] }
  /** `|1|salt|hash`: HMAC-SHA1 of the name, keyed by the salt, so the file does not reveal where the user connects. */
  | { kind: 'hashed'; salt: Buffer; hash: Buffer };

/** One usable line of a known_hosts file. */
export interface KnownHostEntry {
  names: KnownHostNames;
  /** `@revoked`: this key is refused for the hosts the line names. */
  revoked: boolean;
  keyType: string;
  /** The raw SSH public key blob. */
  key: Buffer;
  comment?: string;
  /** 1-based, for messages that point at the file. */
  line: number;
}

export type HostKeyLookup =
  | { status: 'match' }
  | { status: 'mismatch'; knownFingerprints: string[] }
  | { status: 'revoked' }
  | { status: 'unknown' };

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const SHA1_LENGTH = 20;

/** The key type a public key blob declares (its leading SSH string), or null when it is not a key blob. */
function blobKeyType(blob: Buffer): string | null {
  if (blob.length < 4) return null;
  const length = blob.readUInt32BE(0);
  if (length === 0 || length > 64 || blob.length < 4 + length) return null;
  const type = blob.subarray(4, 4 + length).toString('latin1');
  return /^[\x21-\x7e]+$/.test(type) ? type : null;
}

function decodeBase64(text: string): Buffer | null {
  return BASE64.test(text) && text.length % 4 === 0 ? Buffer.from(text, 'base64') : null;
}

function parseNames(field: string): KnownHostNames | null {
  if (field.startsWith('|')) {
    const [empty, magic, salt, hash, ...extra] = field.split('|');
    if (empty !== '' || magic !== '1' || salt === undefined || hash === undefined || extra.length > 0) return null;
    const saltBytes = decodeBase64(salt);
    const hashBytes = decodeBase64(hash);
    if (!saltBytes || saltBytes.length === 0 || hashBytes?.length !== SHA1_LENGTH) return null;
    return { kind: 'hashed', salt: saltBytes, hash: hashBytes };
  }
  const patterns = field.split(',').filter((p) => p !== '' && p !== '!');
  return patterns.length > 0 ? { kind: 'patterns', patterns } : null;
}

function parseLine(text: string, line: number): KnownHostEntry | null {
  const fields = text.trim().split(/\s+/);
  let revoked = false;
  if (fields[0]?.startsWith('@')) {
    const marker = fields.shift();
    // Slipway does not do host certificates, so a CA line can vouch for nothing here; unknown markers are malformed.
    if (marker !== '@revoked') return null;
    revoked = true;
  }
  const [namesField, keyType, keyField, ...comment] = fields;
  if (!namesField || !keyType || !keyField) return null;
  const names = parseNames(namesField);
  const key = decodeBase64(keyField);
  if (!names || !key || blobKeyType(key) !== keyType) return null;
  return { names, revoked, keyType, key, ...(comment.length > 0 ? { comment: comment.join(' ') } : {}), line };
}

/** Parses OpenSSH known_hosts text; blank, comment, `@cert-authority` and malformed lines are skipped. */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const entry = parseLine(trimmed, index + 1);
    if (entry) entries.push(entry);
  });
  return entries;
}

/** Whether the line names `hostName` (`host` or `[host]:port`, lower-case), as OpenSSH's `match_hostname` decides. */
function namesMatch(names: KnownHostNames, hostName: string): boolean {
  if (names.kind === 'hashed') {
    return createHmac('sha1', names.salt).update(hostName).digest().equals(names.hash);
  }
  let positive = false;
  for (const pattern of names.patterns) {
    const negated = pattern.startsWith('!');
    if (!matchWildcard(hostName, (negated ? pattern.slice(1) : pattern).toLowerCase())) continue;
    if (negated) return false;
    positive = true;
  }
  return positive;
}

/** What known_hosts says about the key `host:port` presented: revoked beats match, match beats mismatch. */
export function lookupHostKey(
  entries: KnownHostEntry[],
  host: string,
  port: number,
  presentedKey: Buffer,
): HostKeyLookup {
  if (host.trim() === '') throw new SlipwayError('INVALID_REQUEST', 'A host name is needed to look up its key.');
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new SlipwayError('INVALID_REQUEST', `${port} is not a TCP port.`, { port });
  }
  const presentedType = blobKeyType(presentedKey);
  if (presentedType === null) {
    throw new SlipwayError('INVALID_REQUEST', `The key presented by ${host} is not an SSH public key blob.`);
  }
  // The name OpenSSH writes and hashes: the bare host on port 22, `[host]:port` elsewhere.
  const lower = host.toLowerCase();
  const hostName = port === 22 ? lower : `[${lower}]:${port}`;
  const relevant = entries.filter((e) => namesMatch(e.names, hostName));
  // Like OpenSSH, a revocation only counts on lines that name the host; `@revoked * <key>` revokes it everywhere.
  if (relevant.some((e) => e.revoked && e.key.equals(presentedKey))) return { status: 'revoked' };
  const trusted = relevant.filter((e) => !e.revoked);
  if (trusted.some((e) => e.key.equals(presentedKey))) return { status: 'match' };
  // Only a key of the same type contradicts the presented one. A host known only by other key types is
  // "unknown": OpenSSH, roughly, also treats a new key type as a new key to confirm rather than a change.
  const sameType = trusted.filter((e) => e.keyType === presentedType);
  if (sameType.length === 0) return { status: 'unknown' };
  return { status: 'mismatch', knownFingerprints: [...new Set(sameType.map((e) => sha256Fingerprint(e.key)))] };
}

/** Reads and parses a known_hosts file (the user's by default); a missing file gives []. */
export async function readKnownHosts(file = path.join(os.homedir(), '.ssh', 'known_hosts')): Promise<KnownHostEntry[]> {
  try {
    return parseKnownHosts(await readFile(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw err;
  }
}
