import { useState } from 'react';
import type { AppDetail } from '../../../../shared/domains/apps';
import { useClient, type SlipwayClient } from '../../../client';
import { describeError, type ShownError } from '../../../lib/errors';
import { askNotificationPermission } from '../../../stores/notifications';
import { useStores } from '../../../stores/context';

export type CreateRequest = Parameters<SlipwayClient['apps']['create']>[0];

export interface CreateOptions {
  deployAfter: boolean;
  warningsShown: boolean;
}

/**
 * Creates an app, then (when asked) deploys it and goes to its build log.
 * `created` is an app that exists but whose deployment is still to start:
 * its file's warnings are to be seen first, or the deploy request failed.
 */
export function useCreateApp() {
  const client = useClient();
  const { apps, ui } = useStores();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);
  const [created, setCreated] = useState<AppDetail | null>(null);

  const deploy = async (detail: AppDetail) => {
    const deployment = await client.apps.deploy({ app: detail.name });
    apps.getState().putDeployment(deployment);
    void askNotificationPermission();
    ui.getState().closeDialog();
    ui.getState().navigate({ page: 'app', app: detail.name, tab: 'logs', logType: 'build', deployment: deployment.id });
  };

  /** `warningsShown`: the spec's warnings were on screen before (a text spec), so they need not stop the deploy. */
  const create = async (request: CreateRequest, { deployAfter, warningsShown }: CreateOptions) => {
    setBusy(true);
    setError(null);
    let detail: AppDetail | null = null;
    try {
      detail = await client.apps.create(request);
      apps.getState().putDetail(detail);
      if (!deployAfter) {
        ui.getState().closeDialog();
        ui.getState().navigate({ page: 'app', app: detail.name, tab: 'overview' });
        return;
      }
      // A file's warnings are seen only now, so they are shown before it is deployed.
      if (!warningsShown && detail.warnings.length > 0) {
        setCreated(detail);
        return;
      }
      await deploy(detail);
    } catch (err) {
      setError(describeError(err));
      // Created but not deployed: what is left to do is deploying, not creating again.
      if (detail) setCreated(detail);
    } finally {
      setBusy(false);
    }
  };

  const deployCreated = async () => {
    if (!created) return;
    setBusy(true);
    setError(null);
    try {
      await deploy(created);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return { busy, error, created, create, deployCreated };
}
