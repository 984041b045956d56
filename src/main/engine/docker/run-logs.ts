import type { Deployment, LogLine } from '../../../shared/deployment';
import type { Unsubscribe } from '../../../shared/rpc/transport';
import type { DockerHost } from '../hosts/docker-host';
import { createLineBatcher } from '../logs/line-batcher';
import type { Redactor } from '../logs/redactor';
import { logFrameReader, readLogFrames, type FramedLine } from './log-frames';

function containersOf(deployment: Deployment, component?: string): Array<{ component: string; id: string }> {
  return Object.entries(deployment.containers)
    .filter(([name]) => !component || name === component)
    .flatMap(([name, ids]) => ids.map((id) => ({ component: name, id })));
}

/** A line of Docker's `--timestamps` output as a run log line, redacted: every run log line is made here. */
function toLogLine(component: string, framed: FramedLine, redact: Redactor): LogLine {
  return { type: 'run', component, time: framed.time ?? new Date().toISOString(), line: redact(framed.text) };
}

/** The runtime output of a deployment's containers, like `docker logs --tail`, oldest first, redacted. */
export async function readRunLogs(
  host: DockerHost,
  deployment: Deployment,
  component: string | undefined,
  tail: number,
  redact: Redactor,
) {
  const lines: LogLine[] = [];
  for (const { component: name, id } of containersOf(deployment, component)) {
    const raw = (await host.docker
      .getContainer(id)
      .logs({ stdout: true, stderr: true, timestamps: true, tail })
      .catch(() => Buffer.alloc(0))) as unknown as Buffer;
    for (const line of readLogFrames(raw, { timestamps: true })) lines.push(toLogLine(name, line, redact));
  }
  return lines.sort((a, b) => a.time.localeCompare(b.time)).slice(-tail);
}

/** Follows a deployment's containers' output, like `docker logs --follow`, redacted, in batches (line-batcher.ts). */
export function followRunLogs(
  host: DockerHost,
  deployment: Deployment,
  component: string | undefined,
  redact: Redactor,
  emit: (lines: LogLine[]) => void,
): Unsubscribe {
  const streams: NodeJS.ReadableStream[] = [];
  // 50 ms batches of at most 2,000 lines: a container that floods its output does not make one huge event.
  const batcher = createLineBatcher(emit);
  let ended = false;
  for (const { component: name, id } of containersOf(deployment, component)) {
    void host.docker
      .getContainer(id)
      .logs({ stdout: true, stderr: true, timestamps: true, follow: true, tail: 0 })
      .then((stream) => {
        if (ended) return (stream as unknown as { destroy(): void }).destroy();
        streams.push(stream);
        // Frame by frame, not through demuxStream: Docker stamps each part of a long line (log-frames.ts).
        const reader = logFrameReader({ timestamps: true });
        stream.on('data', (chunk: Buffer) => {
          for (const line of reader.push(chunk)) if (line.text) batcher.push(toLogLine(name, line, redact));
        });
      })
      .catch(() => undefined);
  }
  return () => {
    ended = true;
    for (const stream of streams) (stream as unknown as { destroy(): void }).destroy();
    batcher.flush();
  };
}
