import { SlipwayError } from '../../../shared/errors';
import type { SshDockerHost } from '../hosts/ssh-docker-host';
import type { ServerRecord } from '../store/state-store';
import { reconnectDelay } from './backoff';

export interface ConnectionPoolOptions {
  /** The record of a server; throws when there is none. */
  record: (name: string) => ServerRecord;
  /** The record of a server, or undefined once it is removed. */
  find: (name: string) => ServerRecord | undefined;
  /** Opens one verified connection. */
  connect: (record: ServerRecord) => Promise<SshDockerHost>;
  /** An open connection dropped (a reconnection is scheduled right after). */
  onLost: (record: ServerRecord) => void;
  /** A dropped connection is open again. */
  onBack: (record: ServerRecord) => Promise<void>;
  /** Delay before attempt `n` (0-based); `reconnectDelay` unless given. */
  delay?: (attempt: number) => number;
}

interface Failure {
  attempts: number;
  retryAt: number;
  error: SlipwayError;
}

/**
 * One SSH connection per server, reused for everything and opened again
 * (with backoff) when it drops. Authentication failures and host-key
 * problems are never retried by themselves: the user has to act.
 */
export class ConnectionPool {
  private readonly connections = new Map<string, Promise<SshDockerHost>>();
  private readonly failures = new Map<string, Failure>();
  private readonly reconnecting = new Map<string, NodeJS.Timeout>();
  private closing = false;

  constructor(private readonly options: ConnectionPoolOptions) {}

  private delay(attempt: number): number {
    return (this.options.delay ?? reconnectDelay)(attempt);
  }

  /** The server's Docker host over its one SSH connection, connecting (or reconnecting) when needed. */
  host(name: string): Promise<SshDockerHost> {
    const existing = this.connections.get(name);
    if (existing) return existing;
    const failure = this.failures.get(name);
    if (failure && (failure.error.code !== 'SSH_UNREACHABLE' || Date.now() < failure.retryAt)) {
      // Wrong credentials or keys are not retried by themselves; an unreachable server waits its backoff.
      return Promise.reject(failure.error);
    }
    const record = this.options.record(name);
    const host = this.options.connect(record).then(
      (connected) => {
        this.failures.delete(name);
        void connected.closed.then(() => {
          if (this.connections.get(name) !== host) return;
          this.connections.delete(name);
          this.options.onLost(record);
          this.reconnect(name, 0);
        });
        return connected;
      },
      (err: unknown) => {
        this.connections.delete(name);
        const error = err instanceof SlipwayError ? err : new SlipwayError('SSH_UNREACHABLE', (err as Error).message);
        const attempts = (this.failures.get(name)?.attempts ?? 0) + 1;
        this.failures.set(name, { attempts, retryAt: Date.now() + this.delay(attempts - 1), error });
        throw error;
      },
    );
    this.connections.set(name, host);
    return host;
  }

  /** Forgets a failed attempt, so the next `host` tries at once. */
  forgetFailure(name: string): void {
    this.failures.delete(name);
  }

  /** Opens a dropped connection again, waiting longer after each failed try; wrong keys or credentials stop it. */
  private reconnect(name: string, attempt: number): void {
    if (this.closing || this.reconnecting.has(name)) return;
    const timer = setTimeout(async () => {
      this.reconnecting.delete(name);
      const record = this.options.find(name);
      if (!record || this.closing) return;
      this.failures.delete(name);
      try {
        await this.host(name);
      } catch (err) {
        const code = (err as SlipwayError).code;
        if (code === 'SSH_UNREACHABLE') this.reconnect(name, attempt + 1);
        return;
      }
      await this.options.onBack(record);
    }, this.delay(attempt));
    timer.unref();
    this.reconnecting.set(name, timer);
  }

  /** Closes a server's connection, if it has one. */
  async disconnect(name: string): Promise<void> {
    const connection = this.connections.get(name);
    this.connections.delete(name);
    const host = await connection?.catch(() => null);
    await host?.close();
  }

  /** Stops reconnecting and closes every connection. */
  async close(): Promise<void> {
    this.closing = true;
    for (const timer of this.reconnecting.values()) clearTimeout(timer);
    this.reconnecting.clear();
    await Promise.all([...this.connections.keys()].map((name) => this.disconnect(name)));
  }
}
