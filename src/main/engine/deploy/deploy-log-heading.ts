import type { Deployment } from '../../../shared/deployment';
import { deployLogHeading, displayTitle } from '../../../shared/deployment-title';
import type { DeploymentLogWriter } from '../logs/deployment-logs';

/**
 * Writes a deployment's title and description as the first lines of its deploy log. The run writes it
 * as soon as its log opens, before anything else: written when queued instead, the file I/O would let
 * deploys asked at the same moment take their places in the queue out of order.
 */
export function writeDeployLogHeading(log: DeploymentLogWriter, deployment: Deployment): void {
  for (const line of deployLogHeading(displayTitle(deployment), deployment.description)) log.write('deploy', line);
}
