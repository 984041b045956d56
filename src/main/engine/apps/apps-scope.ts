import type { AppEvent, AppSummary } from '../../../shared/domains/apps';
import type { DeployQueue } from '../deploy/deploy-queue';
import type { EngineContext } from '../engine-context';
import type { AppRecord } from '../store/state-store';

/** What the `apps` modules share: the engine's context, the deploy queue, the apps' events and card summaries. */
export interface AppsScope {
  readonly ctx: EngineContext;
  readonly queue: DeployQueue;
  /** Sends an event to the `apps.events` subscribers. */
  emit(event: AppEvent): void;
  /** What a card shows of an app (see `appSummary`). */
  summary(app: AppRecord): AppSummary;
}
