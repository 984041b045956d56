import { Terminal } from '@xterm/xterm';
import { describe, expect, it } from 'vitest';
import { ignoreHostileOsc } from './ignored-osc';

const ESC = '\x1b';
const BEL = '\x07';
const ST = `${ESC}\\`;

/** A terminal that records title changes and what an OSC 52 handler (a clipboard addon) would be given. */
function recordingTerminal() {
  const term = new Terminal({ allowProposedApi: true, cols: 80, rows: 5 });
  const titles: string[] = [];
  const clipboard: string[] = [];
  term.onTitleChange((title) => titles.push(title));
  term.parser.registerOscHandler(52, (data) => {
    clipboard.push(data);
    return true;
  });
  const write = (data: string) => new Promise<void>((resolve) => term.write(data, resolve));
  const firstRow = () => term.buffer.active.getLine(0)!.translateToString(true);
  return { term, titles, clipboard, write, firstRow };
}

const HOSTILE = `before ${ESC}]52;c;cHduZWQ=${BEL}${ESC}]0;pwned${BEL}${ESC}]1;icon${ST}${ESC}]2;pwned${ST}after`;

describe('ignoreHostileOsc', () => {
  it('is needed: xterm reports a title change and hands OSC 52 to whoever handles it', async () => {
    const t = recordingTerminal();
    await t.write(HOSTILE);
    expect(t.titles).toEqual(['pwned', 'pwned']);
    expect(t.clipboard).toEqual(['c;cHduZWQ=']);
  });

  it('swallows title changes and clipboard writes, and shows the text around them', async () => {
    const t = recordingTerminal();
    ignoreHostileOsc(t.term);
    await t.write(HOSTILE);
    expect(t.titles).toEqual([]);
    expect(t.clipboard).toEqual([]);
    expect(t.firstRow()).toBe('before after');
  });

  it('gives the sequences back to xterm once disposed', async () => {
    const t = recordingTerminal();
    ignoreHostileOsc(t.term).dispose();
    await t.write(HOSTILE);
    expect(t.titles).toEqual(['pwned', 'pwned']);
  });
});
