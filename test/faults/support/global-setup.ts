import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import integrationSetup from '../../support/integration-global-setup';
import { faultRowsFile } from './fault-table';
import { writeReliabilityDoc } from './reliability-doc';

/**
 * Vitest global setup for the fault suite: what the integration suite has
 * (a real Docker engine, busybox, the CLI bundle), a rows file of this run's
 * own, and at the end docs/RELIABILITY.md written from the rows the tests recorded.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const rows = faultRowsFile(`${process.pid}-${randomBytes(3).toString('hex')}`);
  await mkdir(path.dirname(rows), { recursive: true });
  project.provide('faultRowsFile', rows);
  const teardown = await integrationSetup();
  return async () => {
    try {
      console.log(await writeReliabilityDoc(rows));
    } finally {
      await teardown();
    }
  };
}
