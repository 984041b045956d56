/** The top-level sections of the window, in sidebar order. */
export const PAGES = [
  { id: 'apps', title: 'Apps' },
  { id: 'servers', title: 'Servers' },
  { id: 'settings', title: 'Settings' },
] as const;

export type PageId = (typeof PAGES)[number]['id'];
