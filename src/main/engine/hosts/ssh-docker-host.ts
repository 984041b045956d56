import { Agent, type ClientRequestArgs } from 'node:http';
import type { Duplex } from 'node:stream';
import Docker from 'dockerode';
import { Client, type ClientChannel, type ConnectConfig } from 'ssh2';
import { SlipwayError } from '../../../shared/errors';
import type { DockerHost } from './docker-host';
import { sha256Fingerprint } from './host-key';

export interface SshTarget {
  host: string;
  port: number;
  username: string;
  /** One way to authenticate: a private key (with its passphrase), a password, or an ssh-agent socket. */
  privateKey?: string | Buffer;
  passphrase?: string;
  password?: string;
  agent?: string;
  /** `SHA256:...` as `ssh-keygen -l` prints it; empty means "not trusted yet" (HOST_KEY_UNTRUSTED, presented key in details). */
  trustedHostKey?: string;
  /**
   * Decides on the presented host key instead of `trustedHostKey` (known_hosts, stored trust):
   * returns the error that refuses it, or null to go on. Runs before any credential is sent.
   */
  verifyHostKey?: (key: Buffer) => SlipwayError | null;
  /** A stream to the server opened through a jump host, instead of a TCP connection. */
  sock?: Duplex;
  /** Default `/var/run/docker.sock`. */
  dockerSocketPath?: string;
}

/** A Docker host on a server, with what only an SSH connection can tell. */
export interface SshDockerHost extends DockerHost {
  /** Free bytes on the file system holding a path, from SFTP's statvfs (no shell). */
  diskFree(path: string): Promise<number>;
  /** A TCP stream from the server to another host: how a jump host reaches the next one. */
  forward(host: string, port: number): Promise<Duplex>;
  /** A stream to a Unix socket on the server (direct-streamlocal): how the edge's admin API is reached, never over TCP. */
  connectUnixSocket(path: string): Promise<Duplex>;
}

const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';
const READY_TIMEOUT_MS = 10_000;

function noop(): void {}

/**
 * An http.Agent whose "sockets" are direct-streamlocal channels on one SSH connection. Those channels
 * are not sessions, so OpenSSH's MaxSessions (10) never limits how many Docker calls run at once.
 */
/** At most this many `dial-stdio` sessions at once: OpenSSH allows 10 sessions per connection (MaxSessions). */
export const MAX_DIAL_STDIO_SESSIONS = 8;

class StreamLocalAgent extends Agent {
  /** Set once the server refuses streamlocal forwarding (AllowStreamLocalForwarding no). */
  private useDialStdio = false;
  private sessions = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly client: Client,
    private readonly socketPath: string,
  ) {
    // No keep-alive: an idle pooled channel would only hold a Docker connection open for nothing.
    super({ keepAlive: false });
  }

  override createConnection(
    _options: ClientRequestArgs,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    // Node accepts an error without a stream; its typings insist on a stream.
    const done = (callback ?? noop) as (err: Error | null, stream?: Duplex) => void;
    if (this.useDialStdio) {
      void this.dialStdio(done);
      return undefined;
    }
    try {
      this.client.openssh_forwardOutStreamLocal(this.socketPath, (err, channel) => {
        if (!err) return done(null, asSocket(channel));
        // OpenSSH answers "open failed" alike for a forbidden forward (AllowStreamLocalForwarding no) and a
        // missing socket: try the server's own docker CLI, and keep using it once it has worked.
        if (this.socketPath !== DEFAULT_DOCKER_SOCKET) return done(err);
        void this.dialStdio((fallbackErr, stream) => {
          if (fallbackErr || !stream) return done(err);
          this.useDialStdio = true;
          done(null, stream);
        });
      });
    } catch (err) {
      // ssh2 throws synchronously once the connection is gone.
      done(err instanceof Error ? err : new Error(String(err)));
    }
    return undefined;
  }

  /**
   * One `docker system dial-stdio` session per request. The command is a fixed
   * string: nothing of the user's reaches the remote shell, which is also why
   * this fallback serves only the default socket. Sessions count against
   * MaxSessions, so they wait for a free place.
   */
  private async dialStdio(done: (err: Error | null, stream?: Duplex) => void): Promise<void> {
    if (this.sessions >= MAX_DIAL_STDIO_SESSIONS) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.sessions++;
    const release = () => {
      this.sessions--;
      this.waiting.shift()?.();
    };
    try {
      this.client.exec('docker system dial-stdio', (err, channel) => {
        if (err) {
          release();
          return done(err);
        }
        channel.once('close', release);
        done(null, asSocket(channel));
      });
    } catch (err) {
      release();
      done(err instanceof Error ? err : new Error(String(err)));
    }
  }
}

/** Node's http client calls a few net.Socket-only methods on whatever stream the agent hands it. */
function asSocket(channel: ClientChannel): Duplex {
  const socketLike = channel as ClientChannel & Record<string, unknown>;
  socketLike.setKeepAlive = noop;
  socketLike.setNoDelay = noop;
  socketLike.setTimeout = noop;
  socketLike.ref = noop;
  socketLike.unref = noop;
  socketLike.destroySoon = () => channel.destroy();
  return channel;
}

/** A direct-tcpip channel from the server to a host and port. */
function forward(client: Client, host: string, port: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    try {
      client.forwardOut('127.0.0.1', 0, host, port, (err, channel) => (err ? reject(err) : resolve(asSocket(channel))));
    } catch (err) {
      reject(err as Error);
    }
  });
}

function classifyConnectError(err: Error & { level?: string }, target: SshTarget): SlipwayError {
  const where = `${target.username}@${target.host}:${target.port}`;
  if (err.level === 'client-authentication') {
    return new SlipwayError('SSH_AUTH_FAILED', `SSH authentication to ${where} failed: ${err.message}`, {
      host: target.host,
      port: target.port,
      username: target.username,
    });
  }
  return new SlipwayError('SSH_UNREACHABLE', `Cannot reach SSH server ${where}: ${err.message}`, {
    host: target.host,
    port: target.port,
    cause: err.message,
  });
}

/** Opens one verified SSH connection to a server and returns a DockerHost whose API calls travel over it. */
export function connectSshDockerHost(name: string, target: SshTarget): Promise<SshDockerHost> {
  const trusted = (target.trustedHostKey ?? '').trim().replace(/=+$/, '');
  const socketPath = target.dockerSocketPath ?? DEFAULT_DOCKER_SOCKET;
  const client = new Client();

  let ended: () => void = noop;
  let connected = true;
  const closed = new Promise<void>((resolve) => (ended = resolve));
  client.on('close', () => {
    connected = false;
    ended();
  });

  return new Promise<SshDockerHost>((resolve, reject) => {
    let settled = false;
    // Set by the verifier so the generic handshake error can be reported as what it really is.
    let hostKeyError: SlipwayError | undefined;

    const fail = (error: SlipwayError): void => {
      if (settled) return;
      settled = true;
      client.end();
      reject(error);
    };

    const config: ConnectConfig = {
      host: target.host,
      port: target.port,
      username: target.username,
      ...(target.privateKey ? { privateKey: target.privateKey, passphrase: target.passphrase } : {}),
      ...(target.password ? { password: target.password } : {}),
      ...(target.agent ? { agent: target.agent } : {}),
      ...(target.sock ? { sock: target.sock } : {}),
      readyTimeout: READY_TIMEOUT_MS,
      keepaliveInterval: 15_000,
      keepaliveCountMax: 3,
      // Runs during key exchange, before any credential is sent: a wrong server never sees our key.
      hostVerifier: (key: Buffer): boolean => {
        if (target.verifyHostKey) {
          hostKeyError = target.verifyHostKey(key) ?? undefined;
          return hostKeyError === undefined;
        }
        const presented = sha256Fingerprint(key);
        if (trusted === '') {
          hostKeyError = new SlipwayError(
            'HOST_KEY_UNTRUSTED',
            `The host key of ${target.host}:${target.port} is not trusted yet (it presented ${presented})`,
            { presented },
          );
          return false;
        }
        if (presented !== trusted) {
          hostKeyError = new SlipwayError(
            'HOST_KEY_MISMATCH',
            `Host key mismatch for ${target.host}:${target.port}: expected ${trusted}, the server presented ${presented}`,
            { expected: trusted, presented },
          );
          return false;
        }
        return true;
      },
    };

    client.on('error', (err: Error & { level?: string }) => {
      // After 'ready' a lost connection surfaces through the failing Docker calls; this listener keeps it from crashing the process.
      fail(hostKeyError ?? classifyConnectError(err, target));
    });
    client.on('close', () => {
      fail(hostKeyError ?? classifyConnectError(new Error('connection closed before it was ready'), target));
    });
    client.on('ready', () => {
      if (settled) return;
      settled = true;
      const agent = new StreamLocalAgent(client, socketPath);
      // host/port only shape the URL docker-modem builds; every byte goes through the agent's channels.
      // docker-modem hands `agent` to http.request, but @types/dockerode does not declare it.
      const options: Docker.DockerOptions & { agent: Agent } = { protocol: 'http', host: 'localhost', port: 80, agent };
      const docker = new Docker(options);
      let closing: Promise<void> | undefined;
      resolve({
        name,
        docker,
        closed,
        get connected() {
          return connected;
        },
        diskFree: (path) =>
          new Promise<number>((resolveFree, rejectFree) => {
            client.sftp((err, sftp) => {
              if (err) return rejectFree(err);
              sftp.ext_openssh_statvfs(path, (statErr, stats) => {
                sftp.end();
                if (statErr) rejectFree(statErr);
                else resolveFree(Number(stats.f_bavail) * Number(stats.f_frsize));
              });
            });
          }),
        connectLoopback: (port) => forward(client, '127.0.0.1', port),
        forward: (toHost, toPort) => forward(client, toHost, toPort),
        connectUnixSocket: (path) =>
          new Promise<Duplex>((resolveStream, rejectStream) => {
            try {
              client.openssh_forwardOutStreamLocal(path, (err, channel) =>
                err ? rejectStream(err) : resolveStream(asSocket(channel)),
              );
            } catch (err) {
              rejectStream(err as Error);
            }
          }),
        close: () => {
          closing ??= new Promise<void>((done) => {
            agent.destroy();
            client.once('close', () => done());
            client.end();
            // 'close' never comes if the socket is already gone.
            setTimeout(done, 2_000).unref();
          });
          return closing;
        },
      });
    });

    try {
      client.connect(config);
    } catch (err) {
      // ssh2 throws synchronously for an unreadable key or a missing passphrase.
      const message = err instanceof Error ? err.message : String(err);
      fail(new SlipwayError('SSH_AUTH_FAILED', `The private key for ${target.host} cannot be used: ${message}`));
    }
  });
}
