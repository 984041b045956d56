import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writePrivateFile } from '../store/private-files';
import type { PathTarget } from './path-router';

/** The routes the engine wants, written by the engine and read by the edge process. */
export interface EdgeRoutesFile {
  version: number;
  routes: EdgeRouteEntry[];
}

/** One route in the file: a service's port and its instances' ports, or an app's URL and its paths. */
export interface EdgeRouteEntry {
  key: string;
  port: number;
  upstreams: number[];
  paths?: PathTarget[];
}

/** What the edge process has applied, written by it. */
export interface EdgeStateFile {
  pid: number;
  version: number;
  /** Routes that could not listen, by key. */
  errors: Record<string, string>;
}

export const edgeRoutesPath = (dataDir: string) => path.join(dataDir, 'edge-routes.json');
export const edgeStatePath = (dataDir: string) => path.join(dataDir, 'edge-state.json');

export async function readJson<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

// Routes are rebuilt from the records at every start: no need to wait for the disk.
export const writeJson = (file: string, value: unknown) =>
  writePrivateFile(file, JSON.stringify(value), { durable: false });
