import { DESKTOP_BRIDGE_GLOBAL, type DesktopBridge } from '../../shared/desktop-bridge';

/**
 * The desktop shell's native services, or undefined where there is no shell
 * (the page served to a browser): callers hide what needs it rather than fail.
 */
export function desktopBridge(win: Window = window): DesktopBridge | undefined {
  const candidate = (win as unknown as Record<string, unknown>)[DESKTOP_BRIDGE_GLOBAL];
  if (typeof candidate !== 'object' || candidate === null) return undefined;
  return typeof (candidate as Partial<DesktopBridge>).pickFolder === 'function'
    ? (candidate as DesktopBridge)
    : undefined;
}
