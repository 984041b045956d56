import { SlipwayError } from '../../../shared/errors';
import type { AppRecord } from '../store/state-store';

/** ROLLBACK_PINNED for a deploy or redeploy of an app pinned to a rollback, saying how to commit or revert it. */
export function refuseWhilePinned(record: AppRecord): void {
  const pin = record.pin;
  if (!pin) return;
  const back = pin.previous ? `return to ${pin.previous}` : 'go back';
  throw new SlipwayError(
    'ROLLBACK_PINNED',
    `app: ${record.name} is pinned to rollback ${pin.deployment} (to ${pin.target}); deploys are refused until you keep it ` +
      `(slipway apps commit-rollback ${record.name}) or ${back} (slipway apps revert-rollback ${record.name}).`,
    { app: record.name, pin: { deployment: pin.deployment, target: pin.target, previous: pin.previous } },
  );
}

/** What a rollback does to its app's pin at go-live: a revert unpins, a rollback pins unless skipped. */
export function pinChange(skipPin: boolean, revertOf?: string): { pin?: 'set' | 'clear' } {
  if (revertOf) return { pin: 'clear' };
  return skipPin ? {} : { pin: 'set' };
}
