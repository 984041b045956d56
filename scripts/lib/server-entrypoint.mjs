// What the database images add to a scratch Dockerfile: an entrypoint script, volumes and a stop
// signal, as their official images declare them.
import { addFile } from './image-rootfs.mjs';

export const ENTRYPOINT = '/usr/local/bin/docker-entrypoint.sh';

/** Adds the entrypoint script to the tree (run by busybox sh through its #! line). */
export function addEntrypoint(rootfs, script) {
  addFile(rootfs, ENTRYPOINT, { content: script, mode: 0o755 });
}

/** The scratch Dockerfile with VOLUME, STOPSIGNAL and ENTRYPOINT before its CMD (CMD stays last). */
export function withEntrypoint(dockerfile, { volumes = [], stopSignal } = {}) {
  const lines = dockerfile.split('\n');
  const cmd = lines.findIndex((line) => line.startsWith('CMD '));
  if (cmd < 0) throw new Error('The Dockerfile has no CMD');
  const added = [
    ...(volumes.length > 0 ? [`VOLUME ${JSON.stringify(volumes)}`] : []),
    ...(stopSignal ? [`STOPSIGNAL ${stopSignal}`] : []),
    `ENTRYPOINT ${JSON.stringify([ENTRYPOINT])}`,
  ];
  lines.splice(cmd, 0, ...added);
  return lines.join('\n');
}
