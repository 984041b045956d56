import type { ComponentSpec } from '../../../shared/spec/app-spec';
import { createBuildContext, OUTSIDE_DOCKERFILE_NAME } from '../build/build-context';
import { declaredBuildArgs } from '../build/dockerfile-instructions';
import { readDockerfile } from '../build/read-dockerfile';
import { buildImage } from '../docker/image-builder';
import { ensureImage } from '../docker/ensure-image';
import { imageReference } from '../docker/image-reference';
import { imageTag, slipwayLabels } from '../docker/labels';
import { shipImage } from '../docker/ship-image';
import { loadStoredSpec } from '../store/stored-spec';
import { checkoutSources, type SourceCheckout } from './checkout-sources';
import { deploymentSource } from './deployment-source';
import { buildArgs, secretBuildArgNames } from './component-env';
import { tagForDeployment } from './existing-images';
import { prepareGeneratedBuild } from './generated-build';
import { splitUrlCredentials } from '../secrets/url-credentials';
import type { RunContext } from './run-context';

/** The build plan: fetch the source, then each component's image is pulled, reused or built. */
export async function buildAll(run: RunContext, revision: string | null) {
  await run.phase('BUILDING');
  await run.step('build', 'RUNNING');
  const checkouts = await fetchSources(run, revision);
  for (const component of run.spec.components) {
    run.checkCanceled();
    await buildComponent(run, component, checkouts.get(component.name)!);
  }
  await run.step('build.finalize', 'RUNNING');
  await run.step('build.finalize', 'SUCCESS');
  await run.step('build', 'SUCCESS');
}

async function fetchSources(run: RunContext, revision: string | null): Promise<Map<string, SourceCheckout>> {
  await run.step('build.initialize', 'RUNNING');
  const out = await checkoutSources({
    spec: run.spec,
    app: run.app.name,
    localRoot: run.app.sourcePath,
    dataDir: run.ctx.dataDir,
    revision,
    secrets: run.ctx.secrets,
    log: (line) => run.log.write('build', line),
    signal: run.signal,
  });
  const fetched = [...out.values()].find((s) => s.revision)?.revision ?? null;
  const source = await deploymentSource(run, out);
  await run.ctx.saveDeployment(run.deployment, (d) => {
    d.sourceRevision = fetched;
    if (source) d.source = source;
  });
  await run.step('build.initialize', 'SUCCESS');
  return out;
}

async function buildComponent(run: RunContext, component: ComponentSpec, checkout: SourceCheckout) {
  const { app, log } = run;
  const stepName = `build.${component.name}`;
  await run.step(stepName, 'RUNNING');
  const tag = imageTag(app.name, component.name, run.deployment.id);
  const source = component.source;
  if (source.type === 'image') {
    const ref = imageReference(source);
    const image = await ensureImage(run.host, ref, (line) => log.write('build', line, component.name));
    await tagForDeployment(run, image, component.name);
    await run.recordImage(component.name, tag, image, false);
    await run.step(stepName, 'SUCCESS', `Using image ${ref}`);
    return;
  }

  const reused = reusableImage(run, component, checkout.revision);
  if (reused) {
    await tagForDeployment(run, reused, component.name);
    await run.recordImage(component.name, tag, reused, false);
    log.write('build', `Source unchanged at ${checkout.revision}: reusing the live image.`, component.name);
    await run.step(stepName, 'SKIPPED', 'Source unchanged; the live image is reused. Force rebuild to build anyway.');
    return;
  }

  const plan = await prepareGeneratedBuild(run, component, checkout.root);
  const generated = plan ? { [OUTSIDE_DOCKERFILE_NAME]: plan.dockerfile!, ...plan.files } : undefined;
  const context = await createBuildContext({
    sourceRoot: checkout.root,
    sourceDir: component.sourceDir,
    dockerfilePath: component.dockerfilePath,
    generated,
  });
  log.write('build', `Sending build context: ${context.files} files, ${context.bytes} bytes`, component.name);
  // Only what the Dockerfile declares with ARG is passed: the builder warns about any other build argument.
  const declared = declaredBuildArgs(
    plan?.dockerfile ?? (await readDockerfile(checkout.root, component.dockerfilePath)),
  );
  for (const key of secretBuildArgNames(component, declared)) {
    log.write(
      'build',
      `Warning: secret ${key} is passed as a build argument; its value stays visible in the image's history.`,
      component.name,
    );
  }
  const builder = run.builder;
  const shipping = builder !== run.host;
  const result = await buildImage(builder, {
    context: context.tar,
    dockerfile: context.dockerfile,
    tag,
    // No deployment label on images: a unique value would defeat the layer cache on every build,
    // and an image can serve several deployments. The tag names the deployment.
    labels: slipwayLabels(run.ctx.owner, app.name, component.name),
    buildArgs: buildArgs(run.spec, component, run.ctx.secrets, run.urls, declared),
    noCache: run.deployment.options.clearCache,
    signal: run.signal,
    onLine: (line) => log.write('build', line, component.name),
    onLayer: (id) => run.layers.push(id),
    onStepContainer: (id) => (run.stepContainer = id),
  });
  if (shipping) {
    log.write('build', `Shipping ${tag} to ${run.host.name}`, component.name);
    const bytes = await shipImage(builder, run.host, tag, run.signal);
    log.write('build', `Shipped ${(bytes / 1024 / 1024).toFixed(1)} MB to ${run.host.name}`, component.name);
  }
  await run.recordImage(component.name, tag, result.imageId, true);
  await run.step(stepName, 'SUCCESS');
}

/** The live image of a component, when it was built from the same commit with the same build inputs. */
function reusableImage(run: RunContext, component: ComponentSpec, revision: string | null): string | null {
  // A redeploy and a force rebuild exist to build again; only a plain deploy reuses.
  if (run.deployment.cause !== 'manual' || !revision) return null;
  const live = run.ctx.liveDeployment(run.app.name);
  if (!live || live.sourceRevision !== revision) return null;
  const liveSpec = loadStoredSpec(live.specYaml).spec;
  const before = liveSpec?.components.find((c) => c.name === component.name);
  if (!before || buildInputs(before) !== buildInputs(component)) return null;
  return live.images[component.name]?.id ?? null;
}

/** What decides whether a component's image must be built again; a credential (sealed anew at each update) does not. */
export function buildInputs(component: ComponentSpec): string {
  const { source } = component;
  return JSON.stringify({
    source: source.type === 'git' ? { ...source, url: splitUrlCredentials(source.url).url } : source,
    sourceDir: component.sourceDir,
    dockerfilePath: component.dockerfilePath,
    // What a generated Dockerfile is made from besides the files.
    generatedFrom: [component.dockerfileGiven, component.environmentSlug, component.buildCommand, component.staticSite],
    buildEnvs: component.envs
      .filter((e) => e.scope !== 'RUN_TIME')
      .map((e) => [e.key, e.type === 'SECRET' ? '' : e.value]),
  });
}
