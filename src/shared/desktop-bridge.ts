import { z } from 'zod';

/*
 * What the desktop shell offers the renderer besides the engine's contract:
 * native OS services (today the folder picker) that only the Electron main
 * process can give. It is kept apart from the contract bridge
 * (src/shared/rpc/preload-bridge.ts) because the contract is the engine's and
 * works over every transport; this exists only inside the desktop app.
 */

/** Name under which the preload script exposes the desktop bridge on `window`. */
export const DESKTOP_BRIDGE_GLOBAL = 'slipwayDesktop';

/** IPC channels shared by the main-process handlers and the preload's desktop bridge. */
export const DESKTOP_IPC_CHANNELS = {
  pickFolder: 'slipway-desktop:pick-folder',
} as const;

// A title is a line of UI text; a default path is at most a path (PATH_MAX is 4096 on Linux).
const TITLE_MAX = 200;
const PATH_MAX = 4096;
// Native dialogs take C strings: a NUL would silently cut the text short.
const noNul = (value: string) => !value.includes('\0');

export const pickFolderRequestSchema = z.strictObject({
  title: z.string().min(1).max(TITLE_MAX).refine(noNul, 'must not contain NUL'),
  defaultPath: z.string().max(PATH_MAX).refine(noNul, 'must not contain NUL').optional(),
});

export type PickFolderRequest = z.infer<typeof pickFolderRequestSchema>;

/** What the preload script exposes to the renderer of the desktop app, and nothing else of Electron. */
export interface DesktopBridge {
  /** Opens the OS folder picker over the app's window; resolves with the chosen folder, or null when the user cancels. */
  pickFolder(request: PickFolderRequest): Promise<string | null>;
}
