import type { DeploymentSource } from './deployment';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * A deployment's source in a few words, for a history row: `abc1234 Fix login` for a git commit,
 * `3 files changed` for a folder (`12 files` for the first deployment of one, with nothing to compare with).
 */
export function sourceSummary(source: DeploymentSource): string {
  if (source.kind === 'git')
    return source.subject ? `${source.commit.slice(0, 7)} ${source.subject}` : source.commit.slice(0, 7);
  if (source.filesChanged === null) return plural(source.files, 'file');
  return source.filesChanged === 0 ? 'no files changed' : `${plural(source.filesChanged, 'file')} changed`;
}

/** Cuts a text to `max` characters (code points, never half of one), marking the cut with an ellipsis. */
export function cutText(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
