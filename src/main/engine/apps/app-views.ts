import type { AppDetail, AppSummary } from '../../../shared/domains/apps';
import type { EngineContext } from '../engine-context';
import { maskSpecSecrets } from '../secrets/seal-spec';
import type { AppRecord } from '../store/state-store';
import { loadStoredSpec } from '../store/stored-spec';
import { appSummary } from './app-summary';

/** What Docker says of the local engine's containers (see `ContainerWatch`). */
export interface ContainerStatus {
  readonly connected: boolean;
  isRunning(containerId: string): boolean;
}

/** What a card shows of an app: from its deployments, its containers, and whether its engine answers. */
export function summarizeApp(ctx: EngineContext, watch: ContainerStatus, app: AppRecord): AppSummary {
  const deployments = ctx.store.state.deployments.filter((d) => d.app === app.name);
  const answers = app.server === 'local' ? watch.connected : ctx.serverAnswers(app.server);
  return appSummary(app, deployments, (id) => watch.isRunning(id), answers);
}

/** An app as a screen sees it in full: its summary, its spec with secrets masked, its folder and the spec's warnings. */
export function appDetail(summary: AppSummary, app: AppRecord): AppDetail {
  return {
    ...summary,
    specYaml: maskSpecSecrets(app.specYaml),
    sourcePath: app.sourcePath,
    warnings: loadStoredSpec(app.specYaml).warnings,
  };
}
