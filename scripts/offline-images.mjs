#!/usr/bin/env node
// `npm run offline-images [-- --check]`: builds, with no registry, the base and server images that
// generated builds, static sites and databases use (node, python, caddy, busybox, postgres, redis),
// under their real names and only for the versions this machine has, from its own binaries and
// their shared libraries.
import { pathToFileURL } from 'node:url';
import Docker from 'dockerode';
import { BUSYBOX_IMAGE, BUSYBOX_MISSING, ensureBusyboxImage, findStaticBusybox } from './lib/busybox-image.mjs';
import { caddyImageRecipe } from './lib/caddy-image.mjs';
import { debianCodename } from './lib/host-tools.mjs';
import { nodeImageRecipe } from './lib/node-image.mjs';
import { checkImage } from './lib/offline-image-check.mjs';
import { ensureRecipeImage } from './lib/offline-image-build.mjs';
import { postgresImageRecipe } from './lib/postgres-image.mjs';
import { pythonImageRecipe } from './lib/python-image.mjs';
import { redisImageRecipe } from './lib/redis-image.mjs';

const RECIPES = [nodeImageRecipe, pythonImageRecipe, caddyImageRecipe, postgresImageRecipe, redisImageRecipe];

/** Makes sure every image this machine can provide is on the engine; `check` runs each one's programs too. */
export async function ensureOfflineImages(docker, { log = () => {}, check = false } = {}) {
  const busybox = await findStaticBusybox();
  if (!busybox) {
    log(`Skipped every image: ${BUSYBOX_MISSING}`);
    return [{ image: BUSYBOX_IMAGE, status: 'skipped', detail: BUSYBOX_MISSING, tags: [], version: null, id: null }];
  }
  const results = [];
  const built = await ensureBusyboxImage(docker);
  const busyboxImage = await docker.getImage(BUSYBOX_IMAGE).inspect();
  results.push({
    image: BUSYBOX_IMAGE,
    tags: [BUSYBOX_IMAGE],
    status: built ? 'built' : 'up to date',
    version: null,
    id: busyboxImage.Id,
    detail: built ? `from ${busybox}` : 'present',
    checks: [{ cmd: ['sh', '-c', 'echo ok'], expect: 'ok' }],
  });

  const codename = await debianCodename();
  for (const makeRecipe of RECIPES) {
    if (!codename) {
      results.push({
        image: makeRecipe.name,
        status: 'skipped',
        detail: 'these images are named for a Debian release; this machine is not Debian',
      });
      continue;
    }
    const recipe = await makeRecipe({ busybox, codename });
    if (recipe.skipped) {
      log(`Skipped ${recipe.key}: ${recipe.skipped}`);
      results.push({ image: recipe.key, tags: [], status: 'skipped', version: null, id: null, detail: recipe.skipped });
      continue;
    }
    const result = await ensureRecipeImage(docker, recipe, log);
    results.push({ ...result, checks: result.status === 'kept' ? [] : recipe.checks });
  }
  if (check) {
    for (const result of results) {
      if (!result.checks?.length) continue;
      const failures = await checkImage(docker, result.image, result.checks);
      result.checked = failures.length === 0;
      result.failures = failures;
    }
  }
  return results;
}

/** One line per image for a terminal: name, what happened, versions, other tags, notes. */
export function describeResult(result) {
  const also = result.tags?.length > 1 ? ` (also ${result.tags.slice(1).join(', ')})` : '';
  const time = result.seconds !== undefined ? ` in ${result.seconds.toFixed(1)} s` : '';
  const checked = result.checked === undefined ? '' : result.checked ? ', checked' : ', CHECK FAILED';
  const lines = [`${result.image.padEnd(28)} ${result.status}${time}${checked}: ${result.detail}${also}`];
  for (const note of result.notes ?? []) lines.push(`${''.padEnd(28)}   note: ${note}`);
  for (const failure of result.failures ?? []) lines.push(`${''.padEnd(28)}   ${failure}`);
  return lines.join('\n');
}

async function main(argv) {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(
      'Usage: npm run offline-images [-- --check]\n  --check  run node, npm, python3, caddy, postgres and redis inside the images',
    );
    return 0;
  }
  const unknown = argv.filter((arg) => arg !== '--check');
  if (unknown.length > 0) {
    console.error(`Unknown argument: ${unknown[0]} (only --check)`);
    return 2;
  }
  // dockerode reads DOCKER_HOST as the engine does; default /var/run/docker.sock.
  const docker = new Docker();
  try {
    await docker.ping();
  } catch (err) {
    console.error(
      `The Docker engine does not answer (${process.env.DOCKER_HOST ?? '/var/run/docker.sock'}): ${err.message}`,
    );
    return 1;
  }
  const results = await ensureOfflineImages(docker, {
    log: (line) => console.log(line),
    check: argv.includes('--check'),
  });
  for (const result of results) console.log(describeResult(result));
  return results.some((result) => result.checked === false) ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
