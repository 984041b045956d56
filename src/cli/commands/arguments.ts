import path from 'node:path';
import { SlipwayError } from '../../shared/errors';
import { NAME_PATTERN } from '../../shared/spec/spec-schema';
import type { CommandContext } from '../command';

/** `--host-port web=8080` → `{ web: 8080 }` */
export function parseHostPorts(values: string[] | undefined): Record<string, number> | undefined {
  if (!values || values.length === 0) return undefined;
  const out: Record<string, number> = {};
  for (const value of values) {
    const match = /^([a-z0-9-]+)=(\d{1,5})$/.exec(value);
    if (!match || !NAME_PATTERN.test(match[1]!))
      throw new SlipwayError('INVALID_REQUEST', `--host-port: "${value}" must be COMPONENT=PORT, e.g. web=8080.`);
    out[match[1]!] = Number(match[2]);
  }
  return out;
}

export function required(ctx: CommandContext, name: string): string {
  const value = ctx.args[name];
  if (!value) throw new SlipwayError('INVALID_REQUEST', `${name.toUpperCase()} is required.`);
  return value;
}

/** `--spec` as an absolute path: a spec file, or a folder holding one. */
export function specPathFlag(ctx: CommandContext): string {
  const spec = ctx.flags.spec;
  if (typeof spec !== 'string') {
    throw new SlipwayError(
      'INVALID_REQUEST',
      '--spec FILE (or a folder holding .do/app.yaml or app.yaml) is required.',
    );
  }
  return path.resolve(spec);
}
