import type { LogLine } from '../../shared/deployment';

const RESET = '\x1b[0m';
const BOLD = '\x1b[1m';
/** Colours for component prefixes, so interleaved output stays readable. */
const COMPONENT_COLOURS = ['\x1b[36m', '\x1b[35m', '\x1b[34m', '\x1b[32m', '\x1b[33m'];

function colourOf(component: string): string {
  let hash = 0;
  for (let i = 0; i < component.length; i++) hash = (hash * 31 + component.charCodeAt(i)) | 0;
  return COMPONENT_COLOURS[Math.abs(hash) % COMPONENT_COLOURS.length]!;
}

/** A classic-builder step header ("Step 2/5 : COPY site/ /www/"), shown bold like App Platform does. */
const STEP_HEADER = /^Step \d+\/\d+ : /;

export interface FormatOptions {
  /** Prefix each line with its component: when several components' lines are interleaved. */
  showComponent: boolean;
  /** Width the component prefix is padded to. */
  componentWidth?: number;
}

/**
 * One terminal line for a log line. The text is written as it came (its own
 * ANSI colours included): xterm.js draws text, it never interprets HTML, and
 * the sequences that would act outside the view are swallowed (`ignored-osc.ts`).
 */
export function formatLogLine(line: LogLine, options: FormatOptions): string {
  let text = line.line;
  if (STEP_HEADER.test(text)) text = `${BOLD}${text}${RESET}`;
  if (!options.showComponent) return text;
  const name = line.component ?? '—';
  const padded = name.padEnd(options.componentWidth ?? name.length);
  return `${colourOf(name)}${padded}${RESET} │ ${text}`;
}
