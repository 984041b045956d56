import { SlipwayError } from '../../../shared/errors';
import { sha256Fingerprint } from '../hosts/host-key';
import type { ServerRecord } from '../store/state-store';
import { lookupHostKey, type KnownHostEntry } from './known-hosts';

/** What is decided about the key a server presented. */
export type HostKeyDecision =
  /** The fingerprint the user trusted: go on. */
  | { accept: true; vouched: null }
  /** Nothing trusted yet, but known_hosts lists this key: go on, and remember it. */
  | { accept: true; vouched: string }
  /** Refused (mismatch, revoked, or not trusted yet): nothing is sent. */
  | { accept: false; error: SlipwayError };

/**
 * Decides on the host key `record`'s server presented, before any credential
 * is sent: the fingerprint the user trusted wins; without one, `~/.ssh/known_hosts`
 * decides; a key neither vouches for waits for the user to trust it.
 */
export function decideHostKey(
  record: Pick<ServerRecord, 'host' | 'port' | 'hostKey'>,
  known: KnownHostEntry[],
  key: Buffer,
): HostKeyDecision {
  const presented = sha256Fingerprint(key);
  const where = `${record.host}:${record.port}`;
  if (record.hostKey) {
    return presented === record.hostKey
      ? { accept: true, vouched: null }
      : {
          accept: false,
          error: new SlipwayError(
            'HOST_KEY_MISMATCH',
            `The host key of ${where} has changed: Slipway trusts ${record.hostKey}, the server presented ${presented}. Nothing was sent. If the change is expected, trust the new key.`,
            { expected: record.hostKey, presented },
          ),
        };
  }
  const found = lookupHostKey(known, record.host, record.port, key);
  if (found.status === 'match') return { accept: true, vouched: presented };
  if (found.status === 'mismatch' || found.status === 'revoked') {
    const expected = found.status === 'mismatch' ? found.knownFingerprints.join(', ') : 'none (the key is revoked)';
    return {
      accept: false,
      error: new SlipwayError(
        'HOST_KEY_MISMATCH',
        `The host key of ${where} does not match ~/.ssh/known_hosts: it lists ${expected}, the server presented ${presented}. Nothing was sent.`,
        { expected, presented },
      ),
    };
  }
  return {
    accept: false,
    error: new SlipwayError(
      'HOST_KEY_UNTRUSTED',
      `${where} presented host key ${presented}, which is not trusted yet. Check it and trust it.`,
      { presented },
    ),
  };
}

/**
 * An ssh2 `verifyHostKey` for one connection attempt, and what known_hosts
 * vouched for during it (to be remembered once the connection is up).
 */
export function hostKeyVerifier(
  record: Pick<ServerRecord, 'host' | 'port' | 'hostKey'>,
  known: KnownHostEntry[],
): { verifyHostKey: (key: Buffer) => SlipwayError | null; vouched: () => string | null } {
  let vouched: string | null = null;
  return {
    verifyHostKey: (key) => {
      const decision = decideHostKey(record, known, key);
      if (!decision.accept) return decision.error;
      if (decision.vouched) vouched = decision.vouched;
      return null;
    },
    vouched: () => vouched,
  };
}
