import { describe, expect, it } from 'vitest';
import { escapeJsonControls, neutraliseControls } from './terminal-controls';

const ESC = '\x1b';
const BEL = '\x07';
const ST = `${ESC}\\`;
// eslint-disable-next-line no-control-regex -- what must not reach a terminal
const CONTROL = /[\x00-\x1f\x7f-\x9f]/;

/** [what it is, what a build printed, what the terminal is given] */
const TABLE: [string, string, string][] = [
  ['plain text', 'Step 2/5 : COPY site/ /www/', 'Step 2/5 : COPY site/ /www/'],
  ['a tab', 'a\tb', 'a\tb'],
  ['a newline', 'a\nb', 'a\nb'],
  ['SGR colour', `${ESC}[31mred${ESC}[0m`, `${ESC}[31mred${ESC}[0m`],
  ['SGR with several parameters', `${ESC}[1;38;5;208mbold${ESC}[m`, `${ESC}[1;38;5;208mbold${ESC}[m`],
  ['SGR with colon sub-parameters', `${ESC}[38:2::255:0:0mx`, `${ESC}[38:2::255:0:0mx`],
  ['CSI screen clear', `${ESC}[2Jcleared`, '^[[2Jcleared'],
  ['CSI cursor movement', `a${ESC}[1A${ESC}[2Kfake`, 'a^[[1A^[[2Kfake'],
  ['CSI with a private marker', `${ESC}[?1049h`, '^[[?1049h'],
  ['CSI that ends in m after other bytes', `${ESC}[?25m`, '^[[?25m'],
  ['OSC 52 clipboard write ended by BEL', `x${ESC}]52;c;ZWNobyBodW50ZXIy${BEL}y`, 'x^[]52;c;ZWNobyBodW50ZXIy^Gy'],
  ['OSC 52 clipboard write ended by ST', `${ESC}]52;c;aGk=${ST}after`, '^[]52;c;aGk=^[\\after'],
  ['OSC 0 title change', `${ESC}]0;pwned${BEL}`, '^[]0;pwned^G'],
  ['OSC 2 title change', `${ESC}]2;pwned${ST}`, '^[]2;pwned^[\\'],
  [
    'OSC 8 hyperlink',
    `${ESC}]8;;https://x.example/${BEL}link${ESC}]8;;${BEL}`,
    '^[]8;;https://x.example/^Glink^[]8;;^G',
  ],
  ['DCS', `${ESC}P+q544e${ST}`, '^[P+q544e^[\\'],
  ['8-bit CSI', '\x9b2J', '\\x9b2J'],
  ['8-bit OSC ended by 8-bit ST', '\x9d0;pwned\x9c', '\\x9d0;pwned\\x9c'],
  ['8-bit CSI that would be SGR', '\x9b31mx', '\\x9b31mx'],
  ['lone ESC', `a${ESC}b`, 'a^[b'],
  ['ESC at the very end', `a${ESC}`, 'a^['],
  ['SGR cut before its final byte', `${ESC}[31`, '^[[31'],
  ['OSC cut before its terminator', `${ESC}]52;c;aGk=`, '^[]52;c;aGk='],
  ['two-byte ESC sequences (reset, keypad)', `${ESC}c${ESC}=`, '^[c^[='],
  ['carriage return that would overwrite the line', 'secret\rpublic', 'secret^Mpublic'],
  ['backspace, bell, NUL, form feed, vertical tab', 'a\bb\x07\x00\f\v', 'a^Hb^G^@^L^K'],
  ['DEL', 'a\x7fb', 'a^?b'],
  ['text that only looks like caret notation', '^[[2J', '^[[2J'],
  ['multi-byte text', 'Größe ✓ 日本語 🚀', 'Größe ✓ 日本語 🚀'],
];

describe('neutraliseControls', () => {
  it.each(TABLE)('%s', (_what, input, shown) => {
    expect(neutraliseControls(input)).toBe(shown);
  });

  it('leaves no control character but SGR, \\t and \\n in any string', () => {
    let every = '';
    for (let code = 0; code <= 0xa0; code++) every += `${String.fromCharCode(code)}[31m`;
    const shown = neutraliseControls(every);
    const left = shown.split(`${ESC}[31m`).join('');
    expect([...left].filter((c) => CONTROL.test(c))).toEqual(['\t', '\n']);
  });
});

describe('escapeJsonControls', () => {
  it('escapes DEL and C1 controls in JSON so that it parses to the same value', () => {
    const value = { line: `\x9b2J\x9d0;t\x9c\x7f${ESC}]52;c;x${BEL} ✓` };
    const json = escapeJsonControls(JSON.stringify(value));
    expect(json).not.toMatch(CONTROL);
    expect(json).toContain('\\u009b2J');
    expect(JSON.parse(json)).toEqual(value);
  });
});
