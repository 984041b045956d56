import type { IDisposable, Terminal } from '@xterm/xterm';

/**
 * OSC commands a log must not carry out: 0, 1 and 2 set the window and icon
 * titles, 52 reads or writes the clipboard. Build and run output is anyone's
 * text, so the log view shows what surrounds them and does nothing.
 */
export const IGNORED_OSC = [0, 1, 2, 52] as const;

/**
 * Makes the terminal swallow {@link IGNORED_OSC}. Handlers registered last run
 * first and `true` ends the search, so neither xterm's own title event nor an
 * addon registered earlier ever sees them.
 */
export function ignoreHostileOsc(term: Pick<Terminal, 'parser'>): IDisposable {
  const handlers = IGNORED_OSC.map((ident) => term.parser.registerOscHandler(ident, () => true));
  return { dispose: () => handlers.forEach((handler) => handler.dispose()) };
}
