import { describe, expect, it } from 'vitest';
import { signalMarkedOptions, TTY_MARKER_ENV, ttyExecOptions } from './tty-exec';

describe('tty exec requests', () => {
  it('runs the command as given at a terminal, marked in its environment', () => {
    expect(ttyExecOptions(['sh', '-c', 'exec psql'], 'abc123')).toEqual({
      Cmd: ['sh', '-c', 'exec psql'],
      Env: [`${TTY_MARKER_ENV}=abc123`],
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: true,
    });
  });

  it('passes the signal and the marker as arguments, never inside the shell line', () => {
    const marker = 'f00d';
    const { Cmd } = signalMarkedOptions('HUP', marker);
    expect(Cmd!.slice(0, 2)).toEqual(['sh', '-c']);
    expect(Cmd![2]).not.toContain(marker);
    expect(Cmd![2]).toContain(`${TTY_MARKER_ENV}=$2`);
    expect(Cmd!.slice(3)).toEqual(['slipway-hang-up', 'HUP', marker]);
    expect(signalMarkedOptions('KILL', marker).Cmd!.slice(4)).toEqual(['KILL', marker]);
  });
});
