import { describe, expect, it } from 'vitest';
import { declaredBuildArgs, dockerfileInstructions, dockerfileWords } from './dockerfile-instructions';

const names = (text: string) => [...declaredBuildArgs(text)].sort();

describe('Dockerfile instructions', () => {
  it('reads one instruction per line, keywords in lower case, with the line each starts on', () => {
    expect(dockerfileInstructions('FROM busybox:stable\n\nrun  echo hi\nCmd ["true"]\n')).toEqual([
      { keyword: 'from', args: 'busybox:stable', line: 1 },
      { keyword: 'run', args: 'echo hi', line: 3 },
      { keyword: 'cmd', args: '["true"]', line: 4 },
    ]);
  });

  it('joins continued lines, dropping comment and blank lines between them', () => {
    const text = ['FROM busybox', 'RUN echo one \\', '  # a comment inside', '', '    && echo two \\  ', 'echo three'];
    expect(dockerfileInstructions(text.join('\n'))[1]).toEqual({
      keyword: 'run',
      args: 'echo one     && echo two echo three',
      line: 2,
    });
  });

  it('drops comment lines, keeps a # inside an instruction, and reads CRLF files and a byte-order mark', () => {
    const text =
      '\uFEFF# syntax=docker/dockerfile:1\r\n  # indented comment\r\nFROM busybox\r\nRUN echo # not a comment\r\n';
    expect(dockerfileInstructions(text)).toEqual([
      { keyword: 'from', args: 'busybox', line: 3 },
      { keyword: 'run', args: 'echo # not a comment', line: 4 },
    ]);
  });

  it('follows the escape directive: a backtick continues lines and a backslash is plain', () => {
    const text = '# escape=`\nFROM mcr.microsoft.com/windows\nRUN dir C:\\ `\n  /s\nARG A`\n=1\n';
    expect(dockerfileInstructions(text).map((i) => i.args)).toEqual([
      'mcr.microsoft.com/windows',
      'dir C:\\   /s',
      'A=1',
    ]);
  });

  it('reads a directive only at the very top: after any other line it is a comment', () => {
    const text = 'FROM busybox\n# escape=`\nRUN echo a `\nARG B\n';
    expect(dockerfileInstructions(text).map((i) => i.keyword)).toEqual(['from', 'run', 'arg']);
  });
});

describe('words of an instruction', () => {
  it('splits on whitespace outside quotes and keeps quotes and escapes in the word', () => {
    expect(dockerfileWords('A="x y" B=\'p q\'   C')).toEqual(['A="x y"', "B='p q'", 'C']);
    expect(dockerfileWords('A=x\\ y B')).toEqual(['A=x\\ y', 'B']);
    expect(dockerfileWords('A="say \\"hi\\"" B')).toEqual(['A="say \\"hi\\""', 'B']);
    expect(dockerfileWords("A='\\' B")).toEqual(["A='\\'", 'B']);
    expect(dockerfileWords('A=""')).toEqual(['A=""']);
    expect(dockerfileWords('   ')).toEqual([]);
  });
});

describe('declared build arguments', () => {
  it('names ARG NAME and ARG NAME=default, in any case, in every stage and before the first FROM', () => {
    const text = [
      'ARG BASE=busybox:stable',
      'FROM ${BASE} AS build',
      'arg GREETING',
      'RUN echo "$GREETING" > /g',
      'FROM busybox:stable',
      'Arg VERSION="1.0 beta"',
      'COPY --from=build /g /g',
    ].join('\n');
    expect(names(text)).toEqual(['BASE', 'GREETING', 'VERSION']);
  });

  it('names an ARG continued over lines, and several on one line', () => {
    expect(names('FROM busybox\nARG \\\n  # which one\n  TOKEN\nARG A=1 B C="x y"\n')).toEqual([
      'A',
      'B',
      'C',
      'TOKEN',
    ]);
  });

  it('does not take a commented-out ARG, an ARG in a RUN line, or an ENV for a declaration', () => {
    const text = 'FROM busybox\n# ARG HIDDEN\nRUN echo ARG NOT_ONE\nENV GREETING=hi\nLABEL ARG=x\n';
    expect(names(text)).toEqual([]);
  });

  it('names nothing for an empty or ARG-less Dockerfile', () => {
    expect(names('')).toEqual([]);
    expect(names('FROM busybox\nCMD ["true"]')).toEqual([]);
  });
});
