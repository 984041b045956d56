import { SlipwayError } from '../../../shared/errors';
import { containerTail, removeContainers } from '../docker/containers';
import { jobCreateOptions, type JobContainerRequest } from '../docker/create-options';
import type { DockerHost } from '../hosts/docker-host';

export interface JobRequest extends JobContainerRequest {
  onLine(line: string): void;
  signal: AbortSignal;
}

/** Runs a job's container to completion; throws JOB_FAILED unless it exits 0. The container is removed after. */
export async function runJob(host: DockerHost, job: JobRequest): Promise<void> {
  const container = await host.docker.createContainer(jobCreateOptions(job));
  const stop = () => void container.kill().catch(() => undefined);
  job.signal.addEventListener('abort', stop, { once: true });
  try {
    await container.start();
    const result = (await container.wait()) as { StatusCode: number };
    for (const line of await containerTail(host, container.id, 200)) job.onLine(line);
    if (job.signal.aborted) throw new SlipwayError('CANCELED', 'The deployment was canceled.');
    if (result.StatusCode !== 0) {
      throw new SlipwayError('JOB_FAILED', `Job ${job.component} exited with code ${result.StatusCode}.`);
    }
  } finally {
    job.signal.removeEventListener('abort', stop);
    await removeContainers(host, [container.id], 0);
  }
}
