import { z } from 'zod';

/** Bounds of a deployment's title and description: long enough for a sentence and a paragraph, short enough for a row. */
export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 2000;

// C0, DEL and C1 controls: they would move a terminal's cursor or hide text in a log line.
// eslint-disable-next-line no-control-regex -- these are the characters refused
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;
// eslint-disable-next-line no-control-regex -- as above, newline kept
const CONTROL_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/u;

/** Counted in characters (code points), as a user counts them, not UTF-16 units. */
const length = (text: string) => [...text].length;

/** A deployment's title: 1-200 characters of any script, on one line. */
export const deploymentTitle = z
  .string()
  .refine((t) => t.trim() !== '', 'must not be empty')
  .refine((t) => length(t) <= TITLE_MAX, `must be at most ${TITLE_MAX} characters`)
  .refine((t) => !CONTROL.test(t), 'must not contain control characters (newline, tab, escape, …)');

/** A deployment's description: up to 2000 characters of any script; newlines allowed, other controls not. */
export const deploymentDescription = z
  .string()
  .refine((t) => length(t) <= DESCRIPTION_MAX, `must be at most ${DESCRIPTION_MAX} characters`)
  .refine((t) => !CONTROL_BUT_NEWLINE.test(t), 'must not contain control characters other than newline');

/** The titles a deployment gets when the user gives none, after Dokploy's. */
export const DEFAULT_TITLES = {
  deploy: 'Manual deployment',
  /** A redeploy and a force rebuild both build again: Dokploy calls either a rebuild. */
  rebuild: 'Rebuild deployment',
} as const;

/** The title a deploy or redeploy is recorded with: the user's, else the default of its kind. */
export function deployTitle(given: string | undefined, kind: 'deploy' | 'rebuild'): string {
  return given?.trim() ? given.trim() : DEFAULT_TITLES[kind];
}

/** What a deployment is called on screens: its title, or its cause for one recorded before titles existed. */
export function displayTitle(d: { title?: string; cause: string }): string {
  return d.title ?? d.cause;
}

/**
 * The lines a deployment's deploy log starts with: `<title>: <description's first line>`, then
 * the description's other lines indented, so a multi-line note stays readable line by line.
 */
export function deployLogHeading(title: string, description: string | undefined): string[] {
  const lines = (description ?? '').split('\n');
  while (lines.length > 0 && lines.at(-1)!.trim() === '') lines.pop();
  while (lines.length > 0 && lines[0]!.trim() === '') lines.shift();
  if (lines.length === 0) return [title];
  return [`${title}: ${lines[0]}`, ...lines.slice(1).map((l) => `  ${l}`)];
}
