import { SlipwayError } from '../../../shared/errors';
import { containerTail, removeContainers } from '../docker/containers';
import { slipwayLabels } from '../docker/labels';
import type { DockerHost } from '../hosts/docker-host';

export interface JobRequest {
  /** This installation's id: the job's container carries it. */
  owner: string;
  app: string;
  component: string;
  deployment: string;
  image: string;
  env: string[];
  runCommand: string | null;
  network: string | null;
  onLine(line: string): void;
  signal: AbortSignal;
}

/** Runs a job's container to completion; throws JOB_FAILED unless it exits 0. The container is removed after. */
export async function runJob(host: DockerHost, job: JobRequest): Promise<void> {
  const container = await host.docker.createContainer({
    name: `slipway-${job.app}-${job.component}-${job.deployment}-job`,
    Image: job.image,
    Env: job.env,
    Labels: slipwayLabels(job.owner, job.app, job.component, job.deployment),
    HostConfig: { Init: true, RestartPolicy: { Name: 'no' }, ...(job.network ? { NetworkMode: job.network } : {}) },
    ...(job.runCommand ? { Cmd: ['/bin/sh', '-c', job.runCommand] } : {}),
  });
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
