import { retainedDeployments } from '../deploy/retention';
import { appOrThrow } from './app-lookup';
import type { AppsScope } from './apps-scope';

/** Removes the records and logs of deployments that are neither live, in flight, nor a rollback target. */
export async function clearDeployments(scope: AppsScope, app: string): Promise<{ removed: string[] }> {
  const { ctx, queue } = scope;
  appOrThrow(ctx, app);
  const keep = new Set(retainedDeployments(ctx.store.state.deployments, app).map((d) => d.id));
  const running = queue.running(app);
  if (running) keep.add(running);
  for (const id of queue.waiting(app)) keep.add(id);
  const removed = ctx.store.state.deployments.filter((d) => d.app === app && !keep.has(d.id)).map((d) => d.id);
  await ctx.store.update((state) => {
    state.deployments = state.deployments.filter((d) => d.app !== app || keep.has(d.id));
  });
  for (const id of removed) await ctx.logs.remove(app, id);
  return { removed };
}
