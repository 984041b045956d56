import Docker from 'dockerode';
import { ensureBusyboxImage } from './busybox-image';
import { ensureLocalDocker } from './local-docker';

/** Vitest global setup for the integration suite: a real local Docker engine with `busybox:stable` in it. */
export default async function setup(): Promise<() => Promise<void>> {
  const engine = await ensureLocalDocker();
  await ensureBusyboxImage(new Docker());
  return async () => {
    await engine.stop();
  };
}
