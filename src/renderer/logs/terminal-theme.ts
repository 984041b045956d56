import type { ITheme } from '@xterm/xterm';

/** The terminal's colours, matching the window's light and dark themes (search highlights must be #RRGGBB). */
export const TERMINAL_THEMES: Record<'light' | 'dark', ITheme> = {
  light: {
    background: '#fbfcfd',
    foreground: '#1f2733',
    cursor: '#fbfcfd',
    cursorAccent: '#fbfcfd',
    selectionBackground: '#bcd7f5',
    black: '#1f2733',
    red: '#b42318',
    green: '#17713b',
    yellow: '#8a6100',
    blue: '#0b5fb8',
    magenta: '#8f3cb3',
    cyan: '#0e7490',
    white: '#c9d0d8',
    brightBlack: '#6b7685',
    brightRed: '#d0382c',
    brightGreen: '#1e8a4a',
    brightYellow: '#a87600',
    brightBlue: '#1a73d9',
    brightMagenta: '#a64fcb',
    brightCyan: '#138aa8',
    brightWhite: '#e4e8ee',
  },
  dark: {
    background: '#0f1317',
    foreground: '#d9dee5',
    cursor: '#0f1317',
    cursorAccent: '#0f1317',
    selectionBackground: '#2d4a6b',
    black: '#0f1317',
    red: '#f0766c',
    green: '#5cc98a',
    yellow: '#e3c049',
    blue: '#6aaef5',
    magenta: '#c792ea',
    cyan: '#56c2d6',
    white: '#c5ccd6',
    brightBlack: '#7c8796',
    brightRed: '#ff928a',
    brightGreen: '#7ddca3',
    brightYellow: '#f2d36b',
    brightBlue: '#8cc0f7',
    brightMagenta: '#d7a9f2',
    brightCyan: '#7fd6e6',
    brightWhite: '#f2f4f7',
  },
};

export const SEARCH_DECORATIONS = {
  light: {
    matchBackground: '#fde68a',
    matchOverviewRuler: '#d4a300',
    activeMatchBackground: '#f59e0b',
    activeMatchColorOverviewRuler: '#f59e0b',
  },
  dark: {
    matchBackground: '#5c4a12',
    matchOverviewRuler: '#e3c049',
    activeMatchBackground: '#a66f00',
    activeMatchColorOverviewRuler: '#f2d36b',
  },
} as const;

export function colorScheme(): 'light' | 'dark' {
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}
