import type Docker from 'dockerode';

/**
 * A Docker engine Slipway can deploy to. Local or reached over SSH, the rest of
 * the engine sees the same shape and cannot tell the difference.
 */
export interface DockerHost {
  /** A name the user recognises: `local` or the server's name. */
  readonly name: string;
  readonly docker: Docker;
  /** Releases what the host holds open (an SSH connection, sockets). */
  close(): Promise<void>;
}
