import type Docker from 'dockerode';

// The logic lives with `npm run offline-images`, which builds the same image for users without a registry.
export const BUSYBOX_IMAGE = 'busybox:stable';

/** Builds `busybox:stable` on this engine from the host's static busybox, unless the tag already exists. */
export async function ensureBusyboxImage(docker: Docker): Promise<void> {
  // Imported when needed: Playwright's loader would compile the plain ES module as CommonJS.
  const { ensureBusyboxImage: ensureBusybox } = await import('../../scripts/lib/busybox-image.mjs');
  await ensureBusybox(docker);
}
