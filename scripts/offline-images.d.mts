import type Docker from 'dockerode';

export interface OfflineImageResult {
  /** The image's main name, e.g. `node:20-bookworm-slim` (or the recipe's key when skipped). */
  image: string;
  /** Every tag pointed at it: the versions it holds. */
  tags: string[];
  /** `kept`: the tag holds an image Slipway did not build (e.g. pulled), left alone. */
  status: 'built' | 'up to date' | 'kept' | 'skipped';
  version: string | null;
  id: string | null;
  /** Versions, or why it was skipped (naming the Debian package to install). */
  detail: string;
  notes?: string[];
  seconds?: number;
  /** Set with `check`: whether the image's programs print the host's versions. */
  checked?: boolean;
  failures?: string[];
}

/** Makes sure every image this machine can provide is on the engine; `check` runs each one's programs too. */
export function ensureOfflineImages(
  docker: Docker,
  options?: { log?: (line: string) => void; check?: boolean },
): Promise<OfflineImageResult[]>;

/** One line per image for a terminal. */
export function describeResult(result: OfflineImageResult): string;
