/** A service's URL: its stable port on this machine, wherever the app runs (the edge forwards it). */
export function serviceUrl(port: number): string {
  return `http://127.0.0.1:${port}`;
}
