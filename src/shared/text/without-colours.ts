// eslint-disable-next-line no-control-regex -- removing colour sequences is this module's job
const SGR = /\x1b\[[0-9;:]*m/g;

/**
 * Text with its colour sequences (SGR, as Docker's classic builder wraps a step's stderr in red) taken out: for
 * places that show text as it is (an error card, a report), not through a terminal.
 */
export function withoutColours(text: string): string {
  return text.replace(SGR, '');
}
