import { DB_SHELL_MAX_INPUT_BYTES } from '../../shared/domains/db-shell';
import { bytesToBase64 } from './base64';

/**
 * Sends a terminal's keystrokes to a database shell in the order typed, one call at a time, each at most the
 * contract's bound (a large paste goes in several). A failure ends the sending and is reported once.
 */
export function shellInput(send: (data: string) => Promise<unknown>, onError: (err: unknown) => void) {
  let chain: Promise<unknown> = Promise.resolve();
  let failed = false;
  return (bytes: Uint8Array) => {
    for (let at = 0; at < bytes.length; at += DB_SHELL_MAX_INPUT_BYTES) {
      const piece = bytesToBase64(bytes.subarray(at, at + DB_SHELL_MAX_INPUT_BYTES));
      chain = chain.then(async () => {
        if (failed) return;
        try {
          await send(piece);
        } catch (err) {
          failed = true;
          onError(err);
        }
      });
    }
    return chain;
  };
}
