import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';

/**
 * A Docker engine Slipway can deploy to. Local or reached over SSH, the rest of
 * the engine sees the same shape and cannot tell the difference.
 */
export interface DockerHost {
  /** A name the user recognises: `local` or the server's name. */
  readonly name: string;
  readonly docker: Docker;
  /**
   * Opens a TCP connection to a port on the host's own loopback: for the local
   * engine, this machine; for a server, through its SSH connection, so health
   * checks never cross the open internet.
   */
  connectLoopback(port: number): Promise<Duplex>;
  /** Resolves when the connection to the host ends (a server's SSH connection); never for this machine. */
  readonly closed: Promise<void>;
  /** False once that connection has ended: what was cut off was interrupted, not broken. */
  readonly connected: boolean;
  /** Releases what the host holds open (an SSH connection, sockets). */
  close(): Promise<void>;
}
