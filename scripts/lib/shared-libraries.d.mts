export interface SharedLibraries {
  libraries: string[];
  missing: string[];
}
/** Per file: the absolute paths ldd resolved and the names it could not find. */
export function parseLdd(output: string, files: string[]): Map<string, SharedLibraries>;
/** ldd's answer for each file. */
export function sharedLibraries(files: string[]): Promise<Map<string, SharedLibraries>>;
