import { z } from 'zod';
import { emits, method, returns, stream } from '../rpc/contract';

const serverName = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{0,31}$/,
    'must be a server name: up to 32 lowercase letters, digits or dashes, starting with a letter',
  );
const hostName = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$|^\[?[0-9A-Fa-f:.]+\]?$/, 'must be a host name or an IP address');
const userName = z.string().regex(/^[a-z_][a-z0-9_.-]{0,31}$/i, 'must be a user name');
const fingerprint = z
  .string()
  .regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'must be a SHA256 fingerprint as ssh-keygen -l prints it');
const absolutePath = z
  .string()
  .min(1)
  .max(4096)
  .regex(/^(\/|~\/|[A-Za-z]:\\)/, 'must be an absolute path');

/** How Slipway authenticates to a server. Passwords and passphrases are encrypted before they are stored. */
export const serverAuthSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('agent') }).strict(),
  z.object({ type: z.literal('key'), keyPath: absolutePath, passphrase: z.string().max(1024).optional() }).strict(),
  z.object({ type: z.literal('password'), password: z.string().min(1).max(1024) }).strict(),
]);
export type ServerAuthInput = z.input<typeof serverAuthSchema>;

export type ServerState = 'online' | 'offline' | 'untrusted';

export interface ServerStatus {
  state: ServerState;
  /** Why it is offline, or which key it presented when untrusted. */
  reason?: string;
  /** The fingerprint a server presented that is not trusted yet. */
  presentedFingerprint?: string;
  dockerVersion?: string;
  /** Slipway apps that target it. */
  apps: number;
  /** Free bytes where its Docker keeps its data, when known. */
  diskFree?: number;
  checkedAt: string;
}

export interface ServerSummary {
  name: string;
  /** `local` is this machine's Docker engine; the others are reached over SSH. */
  kind: 'local' | 'ssh';
  host: string;
  port: number;
  user: string;
  auth: 'agent' | 'key' | 'password' | 'local';
  jump: string | null;
  dockerSocket: string;
  /** The trusted host key, when one is. */
  hostKey: string | null;
  status: ServerStatus;
}

export interface SshConfigSuggestion {
  alias: string;
  hostName: string;
  user: string | null;
  port: number;
  identityFile: string | null;
  proxyJump: string[];
}

export type EdgeTls = 'acme' | 'internal' | 'off';

/**
 * A domain's certificate on a server's edge. `pending`: none yet and no error (Caddy obtains it in the
 * background, or at the first TLS handshake); `failed`: none, and Caddy logged why (`lastError`).
 */
export interface EdgeCertificate {
  state: 'valid' | 'expired' | 'pending' | 'failed' | 'off';
  notAfter?: string;
  issuer?: string;
  lastError?: string;
}

/** A server's Slipway edge: Caddy in one container, serving apps' `domains:` (and apps without one) on its ports. */
export interface ServerEdgeStatus {
  server: string;
  enabled: boolean;
  httpPort?: number;
  httpsPort?: number;
  bind?: string;
  tls?: EdgeTls;
  image?: string;
  /** The image by digest, as pinned when the edge was enabled: what a recreated edge runs. */
  pinnedImage?: string;
  /** The edge container's state as Docker tells it (`running`, `exited`, `missing`). */
  container?: string;
  /** Each host name it routes, the app it belongs to, and its certificate (absent when the edge does not run). */
  routes: Array<{ domain: string; app: string; certificate?: EdgeCertificate }>;
  /** Apps without a domain, each served on a port of the edge of its own (plain HTTP). */
  ports?: Array<{ app: string; port: number; url: string }>;
}

export type ServerEvent =
  | { type: 'status'; server: ServerSummary }
  | { type: 'removed'; name: string }
  /** First contact: the user is asked to trust this fingerprint. */
  | { type: 'host-key'; name: string; fingerprint: string };

/** The user's servers and the local engine. */
export const serversContract = {
  /** All servers with their status, checked concurrently (the local engine first). */
  list: method(z.object({}).strict(), returns<ServerSummary[]>()),
  get: method(z.object({ name: serverName }).strict(), returns<ServerSummary>()),
  /**
   * Adds a server and tries it. `host` may be a ~/.ssh/config alias: its HostName, User, Port and
   * ProxyJump (an added server) apply. A host key neither trusted here nor in ~/.ssh/known_hosts
   * leaves it `untrusted` (nothing is sent) until `trust` is called with its fingerprint,
   * or `trust` is given here.
   */
  add: method(
    z
      .object({
        name: serverName,
        host: hostName,
        /** Default: the ~/.ssh/config alias's Port, else 22. */
        port: z.number().int().min(1).max(65535).optional(),
        /** Default: the ~/.ssh/config alias's User, else root. */
        user: userName.optional(),
        auth: serverAuthSchema,
        /** Another server to jump through (ProxyJump). */
        jump: serverName.optional(),
        dockerSocket: absolutePath.default('/var/run/docker.sock'),
        trust: fingerprint.optional(),
      })
      .strict(),
    returns<ServerSummary>(),
  ),
  /** Trusts a server's host key; it must be the key the server presents now. */
  trust: method(z.object({ name: serverName, fingerprint }).strict(), returns<ServerSummary>()),
  /** Connects again and refreshes the status. */
  test: method(z.object({ name: serverName }).strict(), returns<ServerSummary>()),
  /** Removes a server no app targets. */
  remove: method(z.object({ name: serverName }).strict(), returns<{ removed: string }>()),
  /**
   * Runs the server's edge (Caddy) and routes apps' `domains:` through it. Refuses, changing nothing,
   * when a port it needs is taken (`EDGE_PORT_IN_USE`, naming a container that publishes it).
   */
  edgeEnable: method(
    z
      .object({
        name: serverName,
        httpPort: z.number().int().min(1).max(65535).default(80),
        httpsPort: z.number().int().min(1).max(65535).default(443),
        bind: z.union([z.ipv4(), z.ipv6()]).default('0.0.0.0'),
        tls: z.enum(['acme', 'internal', 'off']).default('acme'),
        acmeEmail: z.email().max(254).optional(),
        image: z
          .string()
          .min(1)
          .max(255)
          .regex(/^[a-z0-9][a-z0-9._/:@-]*$/, 'must be an image reference such as caddy:2')
          .default('caddy:2'),
      })
      .strict()
      .refine((r) => r.httpPort !== r.httpsPort, 'the HTTP and HTTPS ports must differ'),
    returns<ServerEdgeStatus>(),
  ),
  edgeStatus: method(z.object({ name: serverName }).strict(), returns<ServerEdgeStatus>()),
  /** Removes the edge container and its volumes only; says which apps lose their public URL. */
  edgeDisable: method(
    z.object({ name: serverName }).strict(),
    returns<{ server: string; removed: string[]; appsLosingUrl: string[] }>(),
  ),
  /** Hosts from ~/.ssh/config, as suggestions for new servers. */
  sshConfigHosts: method(z.object({}).strict(), returns<SshConfigSuggestion[]>()),
  /** Status changes, host keys waiting for trust, removals. */
  events: stream(z.object({}).strict(), emits<ServerEvent>()),
};
