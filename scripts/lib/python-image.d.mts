/** True for standard-library paths the image leaves out (relative to /usr/lib/pythonX.Y). */
export function skipStdlibPath(relativePath: string, isDirectory: boolean): boolean;
