// Running a command in an image and reading what it printed: the proof an offline image works.
import { Buffer } from 'node:buffer';

const CHECK_LABEL = 'dev.slipway.offline-image.check';

/** Stdout and stderr from a non-TTY container's log stream (8-byte frame headers). */
export function demuxLogs(buffer) {
  const parts = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const size = buffer.readUInt32BE(offset + 4);
    parts.push(buffer.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}

/** Runs `cmd` in `image` with no network; returns its exit code and output. The container is removed. */
export async function runInImage(docker, image, cmd, labels = {}) {
  const container = await docker.createContainer({
    Image: image,
    Cmd: cmd,
    Labels: { [CHECK_LABEL]: 'true', ...labels },
    HostConfig: { NetworkMode: 'none' },
  });
  try {
    await container.start();
    const { StatusCode } = await container.wait();
    const logs = await container.logs({ stdout: true, stderr: true, follow: false });
    return { exitCode: StatusCode, output: demuxLogs(Buffer.isBuffer(logs) ? logs : Buffer.from(logs)).trim() };
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}

/** Runs each check of an image; returns the ones whose output is not what the host's program says. */
export async function checkImage(docker, image, checks) {
  const failures = [];
  for (const check of checks) {
    const { exitCode, output } = await runInImage(docker, image, check.cmd);
    if (exitCode !== 0 || !output.startsWith(check.expect))
      failures.push(
        `${image}: ${check.cmd.join(' ')} printed "${output}" (exit ${exitCode}), expected "${check.expect}"`,
      );
  }
  return failures;
}
