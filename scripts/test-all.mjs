#!/usr/bin/env node
// `npm test`: makes sure what the tests need is on the machine, then runs every
// suite (typecheck, lint, unit, integration, faults, end-to-end) and ends with one
// summary line. Suites keep running after a failure so one run shows them all.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { platform } from 'node:os';

const RESULTS = 'test-results';

/** What the integration and end-to-end suites run for real, and the Debian package that brings it. */
const REQUIREMENTS = [
  { what: 'the Docker engine (dockerd)', paths: ['/usr/sbin/dockerd', '/usr/bin/dockerd'], pkg: 'docker.io' },
  { what: 'the OpenSSH server (sshd)', paths: ['/usr/sbin/sshd'], pkg: 'openssh-server' },
  { what: 'ssh-keygen', paths: ['/usr/bin/ssh-keygen'], pkg: 'openssh-client' },
  { what: 'Chromium', paths: ['/usr/bin/chromium'], pkg: 'chromium' },
  { what: 'a static busybox', paths: ['/bin/busybox', '/usr/bin/busybox'], pkg: 'busybox-static' },
  { what: 'git', paths: ['/usr/bin/git'], pkg: 'git' },
  { what: 'iproute2 (ip)', paths: ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip'], pkg: 'iproute2' },
  // The offline python:<v>-slim-bookworm, caddy:2, postgres:15 and redis:7 images are built from these
  // (npm run offline-images). Where an init system runs, installing postgresql and redis-server also starts
  // their servers on the machine: harmless, the tests use only the images.
  { what: "Debian's python3", paths: ['/usr/bin/python3'], pkg: 'python3' },
  { what: 'Caddy 2', paths: ['/usr/bin/caddy'], pkg: 'caddy' },
  { what: 'PostgreSQL 15', paths: ['/usr/lib/postgresql/15/bin/postgres'], pkg: 'postgresql' },
  { what: 'redis-server', paths: ['/usr/bin/redis-server'], pkg: 'redis-server' },
];

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  return result.status ?? 1;
}

function isDebianLike() {
  return existsSync('/etc/debian_version') && existsSync('/usr/bin/apt-get');
}

function ensureRequirements() {
  const missing = REQUIREMENTS.filter((r) => !r.paths.some((p) => existsSync(p)));
  if (missing.length === 0) return;
  const pkgs = [...new Set(missing.map((m) => m.pkg))];
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (platform() === 'linux' && isDebianLike() && root) {
    console.log(`Installing what the tests need: ${pkgs.join(' ')}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    if (
      run('apt-get', ['update', '-qq'], { env }) !== 0 ||
      run('apt-get', ['install', '-y', '-qq', ...pkgs], { env }) !== 0
    ) {
      console.error(`Could not install ${pkgs.join(' ')} with apt-get.`);
      process.exit(1);
    }
    return;
  }
  console.error('The tests run against a real Docker engine, real OpenSSH servers and a real Chromium. Missing:');
  for (const m of missing) console.error(`  - ${m.what}: on Debian or Ubuntu, \`apt-get install ${m.pkg}\` (as root)`);
  console.error('The test setup starts these itself and needs root (it creates network bridges for its test servers).');
  process.exit(1);
}

function vitestSummary(file) {
  try {
    const report = JSON.parse(readFileSync(file, 'utf8'));
    return { passed: report.numPassedTests, failed: report.numFailedTests };
  } catch {
    return { passed: 0, failed: 1 };
  }
}

function playwrightSummary(file) {
  try {
    const { stats } = JSON.parse(readFileSync(file, 'utf8'));
    return { passed: stats.expected, failed: stats.unexpected + stats.flaky };
  } catch {
    return { passed: 0, failed: 1 };
  }
}

ensureRequirements();
rmSync(RESULTS, { recursive: true, force: true });
mkdirSync(RESULTS, { recursive: true });

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const steps = [
  { name: 'typecheck', run: () => run('npm', ['run', '--silent', 'typecheck']) },
  { name: 'lint', run: () => run('npm', ['run', '--silent', 'lint']) },
  { name: 'build', run: () => run('npm', ['run', '--silent', 'build']) },
  {
    name: 'unit + integration',
    run: () =>
      run(npx, [
        'vitest',
        'run',
        '--project',
        'unit',
        '--project',
        'integration',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${RESULTS}/vitest.json`,
      ]),
    summary: () => vitestSummary(`${RESULTS}/vitest.json`),
  },
  {
    // The fault table: each fault injected into real deployments; writes docs/RELIABILITY.md.
    name: 'faults',
    run: () =>
      run(npx, [
        'vitest',
        'run',
        '--project',
        'faults',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${RESULTS}/faults.json`,
      ]),
    summary: () => vitestSummary(`${RESULTS}/faults.json`),
  },
  {
    name: 'end-to-end',
    run: () =>
      run(npx, ['playwright', 'test', '--reporter=list,json'], {
        env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: `${RESULTS}/e2e.json` },
      }),
    summary: () => playwrightSummary(`${RESULTS}/e2e.json`),
  },
];

let passed = 0;
let failed = 0;
const failedSteps = [];
for (const step of steps) {
  console.log(`\n=== ${step.name} ===`);
  const code = step.run();
  if (step.summary) {
    const counts = step.summary();
    passed += counts.passed;
    failed += counts.failed;
  }
  if (code !== 0) failedSteps.push(step.name);
}
if (failedSteps.length > 0) console.log(`\nFailed: ${failedSteps.join(', ')}`);
if (failedSteps.length > 0 && failed === 0) failed = failedSteps.length;
console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exit(failedSteps.length > 0 ? 1 : 0);
