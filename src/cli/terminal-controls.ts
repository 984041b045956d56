/**
 * What the CLI prints holds text from builds and containers, which may carry
 * terminal control sequences: a clipboard write (OSC 52), a new window title,
 * a cleared screen or a moved cursor that hides or fakes lines. Colours (SGR)
 * are the one kind worth keeping; every other control character is shown as
 * text, so a sequence can neither act nor vanish.
 */

/** A complete 7-bit SGR (`ESC [ params m`), else any C0 control but \t and \n, DEL or a C1 control. */
// eslint-disable-next-line no-control-regex -- finding control characters is this module's job
const CONTROLS = /(\x1b\[[0-9;:]*m)|[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/** How a control character shows: caret notation for C0 and DEL (`^[`, `^G`, `^?`), `\x9b` for C1. */
function visible(char: string): string {
  const code = char.charCodeAt(0);
  if (code < 0x20) return `^${String.fromCharCode(code + 0x40)}`;
  if (code === 0x7f) return '^?';
  return `\\x${code.toString(16)}`;
}

/**
 * Text safe to write to a terminal: SGR colour sequences, \n and \t are kept,
 * every other control character (ESC of any other sequence, BEL, CR, C1) is
 * rendered visibly. The result holds no control character but those.
 */
export function neutraliseControls(text: string): string {
  return text.replace(CONTROLS, (match, sgr: string | undefined) => sgr ?? visible(match));
}

/**
 * JSON output as a terminal may show it: JSON.stringify escapes C0 controls
 * but writes DEL and C1 (an 8-bit CSI is U+009B) as they are. Outside strings
 * JSON holds no such character, so escaping them as `\u00XX` keeps the value.
 */
export function escapeJsonControls(json: string): string {
  return json.replace(/[\x7f-\x9f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
