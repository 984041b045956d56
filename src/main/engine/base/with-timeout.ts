export interface TimeoutOptions<T> {
  /** The error to reject with when time runs out (default: "no answer within N ms"). */
  error?: () => Error;
  /** Called with a value that arrives after the timeout, to release it (close a connection). */
  late?: (value: T) => void;
}

/**
 * Settles like `promise`, or rejects once `ms` have passed. A value that
 * arrives too late is handed to `late`, so a connection opened after its
 * caller gave up is closed rather than leaked.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, options: TimeoutOptions<T> = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      reject(options.error?.() ?? new Error(`no answer within ${ms} ms`));
    }, ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        if (timedOut) options.late?.(value);
        else resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}
