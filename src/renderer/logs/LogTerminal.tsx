import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useClient } from '../client';
import { Icon } from '../components/Icons';
import { copyText } from '../lib/copy-text';
import { formatLogLine } from './format-line';
import { ignoreHostileOsc } from './ignored-osc';
import { LogPump } from './log-pump';
import { openLogSession, type LogSessionState, type LogSource } from './log-session';
import { useFollowLogs } from './log-stream';
import { colorScheme, SEARCH_DECORATIONS, TERMINAL_THEMES } from './terminal-theme';

/** Lines the terminal keeps; older ones scroll away (the engine keeps the whole log in its file). */
export const SCROLLBACK = 10_000;
/** Lines written at once at most, and how often: a write stays short and the page keeps time for input. */
const LINES_PER_WRITE = 5_000;
const WRITE_INTERVAL_MS = 100;

export interface LogTerminalProps {
  source: LogSource;
  follow: boolean;
  /** Prefix lines with their component (all components shown at once). */
  showComponent: boolean;
  componentWidth: number;
  /** Said when there is nothing to show. */
  emptyText: string;
  /** The deployment has ended: no more lines will come. */
  finished?: boolean;
}

interface Search {
  term: string;
  index: number;
  count: number;
}

export function LogTerminal({ source, follow, showComponent, componentWidth, emptyText, finished }: LogTerminalProps) {
  const client = useClient();
  const followLogs = useFollowLogs();
  const hostRef = useRef<HTMLDivElement>(null);
  const termRef = useRef<{ term: Terminal; search: SearchAddon; pump: LogPump } | null>(null);
  const atBottomRef = useRef(true);
  const [state, setState] = useState<LogSessionState>({ state: 'loading' });
  const [empty, setEmpty] = useState(true);
  const [atBottom, setAtBottom] = useState(true);
  const [search, setSearch] = useState<Search>({ term: '', index: -1, count: 0 });
  const [copied, setCopied] = useState<string | null>(null);

  // The terminal lives as long as the view; sources come and go.
  useEffect(() => {
    const host = hostRef.current!;
    const scheme = colorScheme();
    const term = new Terminal({
      scrollback: SCROLLBACK,
      disableStdin: true,
      cursorBlink: false,
      cursorStyle: 'bar',
      cursorInactiveStyle: 'none',
      fontFamily: "ui-monospace, 'SF Mono', 'Cascadia Mono', 'DejaVu Sans Mono', Menlo, Consolas, monospace",
      fontSize: 12.5,
      lineHeight: 1.3,
      theme: TERMINAL_THEMES[scheme],
      allowProposedApi: true,
      screenReaderMode: false,
    });
    const fit = new FitAddon();
    const searchAddon = new SearchAddon({ highlightLimit: 500 });
    term.loadAddon(fit);
    term.loadAddon(searchAddon);
    // Registered after every addon, so that it runs first.
    const ignoredOsc = ignoreHostileOsc(term);
    term.open(host);
    const pump = new LogPump(
      {
        write(data, done) {
          term.write(data, () => {
            host.dataset.written = String(pump.written);
            done();
          });
        },
      },
      { maxQueued: SCROLLBACK, linesPerWrite: LINES_PER_WRITE, minIntervalMs: WRITE_INTERVAL_MS },
    );
    termRef.current = { term, search: searchAddon, pump };

    let fitFrame: number | null = null;
    const refit = () => {
      if (fitFrame !== null) return;
      fitFrame = requestAnimationFrame(() => {
        fitFrame = null;
        if (host.clientWidth > 0 && host.clientHeight > 0) fit.fit();
      });
    };
    refit();
    const resize = new ResizeObserver(refit);
    resize.observe(host);

    const scrolled = term.onScroll(() => {
      const buffer = term.buffer.active;
      const bottom = buffer.viewportY >= buffer.baseY;
      if (bottom !== atBottomRef.current) {
        atBottomRef.current = bottom;
        setAtBottom(bottom);
      }
    });
    const results = searchAddon.onDidChangeResults(({ resultIndex, resultCount }) =>
      setSearch((s) => ({ ...s, index: resultIndex, count: resultCount })),
    );

    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const onScheme = () => {
      term.options.theme = TERMINAL_THEMES[colorScheme()];
    };
    media.addEventListener('change', onScheme);

    return () => {
      media.removeEventListener('change', onScheme);
      resize.disconnect();
      if (fitFrame !== null) cancelAnimationFrame(fitFrame);
      scrolled.dispose();
      results.dispose();
      ignoredOsc.dispose();
      pump.dispose();
      term.dispose();
      termRef.current = null;
    };
  }, []);

  const { app, type, component, deployment } = source;
  useEffect(() => {
    const current = termRef.current;
    if (!current) return;
    const { term, pump } = current;
    const host = hostRef.current!;
    let received = 0;
    host.dataset.received = '0';
    pump.clear();
    term.reset();
    setEmpty(true);
    atBottomRef.current = true;
    setAtBottom(true);
    const stop = openLogSession({
      client,
      followLogs,
      source: { app, type, component, deployment },
      follow,
      backlog: SCROLLBACK,
      onLines(lines, dropped) {
        setEmpty(false);
        received += lines.length + dropped;
        host.dataset.received = String(received);
        // Of a huge batch only the tail can stay in the scrollback: the rest is counted, not formatted.
        const keep = lines.length > SCROLLBACK ? lines.slice(-SCROLLBACK) : lines;
        pump.skip(dropped + lines.length - keep.length);
        pump.push(keep.map((line) => formatLogLine(line, { showComponent, componentWidth })));
      },
      onState: setState,
    });
    return stop;
  }, [client, followLogs, app, type, component, deployment, follow, showComponent, componentWidth]);

  // A match is shown selected: once the search ends, Copy takes the whole view again, not the last match.
  const endSearch = () => {
    termRef.current?.search.clearDecorations();
    termRef.current?.term.clearSelection();
    setSearch({ term: '', index: -1, count: 0 });
  };

  const find = (direction: 'next' | 'previous', term = search.term) => {
    const addon = termRef.current?.search;
    if (!addon) return;
    if (!term) {
      endSearch();
      return;
    }
    const decorations = SEARCH_DECORATIONS[colorScheme()];
    const options = { decorations, caseSensitive: false };
    if (direction === 'next') addon.findNext(term, options);
    else addon.findPrevious(term, options);
  };

  const onSearchKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      find(event.shiftKey ? 'previous' : 'next');
    } else if (event.key === 'Escape' && search.term) {
      event.preventDefault();
      event.stopPropagation();
      endSearch();
    }
  };

  const copy = async () => {
    const term = termRef.current?.term;
    if (!term) return;
    let text = term.getSelection();
    let what = 'selection';
    if (!text) {
      const buffer = term.buffer.active;
      const lines: string[] = [];
      for (let i = 0; i < buffer.length; i++) {
        const row = buffer.getLine(i);
        const textOfRow = row?.translateToString() ?? '';
        // A long line wraps over several rows: copy it as the one line it is.
        if (row?.isWrapped && lines.length > 0) lines[lines.length - 1] += textOfRow;
        else lines.push(textOfRow);
      }
      text = lines
        .map((line) => line.trimEnd())
        .join('\n')
        .trimEnd();
      what = `${lines.length.toLocaleString()} lines`;
    }
    const done = await copyText(text);
    setCopied(done ? `Copied ${what}` : 'Copy failed');
    setTimeout(() => setCopied(null), 2500);
  };

  const clear = () => {
    termRef.current?.term.clear();
    termRef.current?.search.clearDecorations();
    setSearch((s) => ({ ...s, index: -1, count: 0 }));
  };

  const jumpToEnd = () => termRef.current?.term.scrollToBottom();

  const status =
    state.state === 'loading'
      ? 'Loading…'
      : state.state === 'failed'
        ? state.message
        : state.state === 'following' && !finished
          ? 'Following live'
          : 'Complete';

  return (
    <div className="terminal-frame" data-testid="log-view" data-state={state.state}>
      <div className="terminal-toolbar" role="toolbar" aria-label="Log tools">
        <div className="search-box">
          <Icon name="search" />
          <input
            type="search"
            placeholder="Search the log"
            aria-label="Search the log"
            value={search.term}
            onChange={(event) => {
              const term = event.target.value;
              setSearch((s) => ({ ...s, term }));
              if (term) find('next', term);
              else find('next', '');
            }}
            onKeyDown={onSearchKey}
            data-testid="log-search"
          />
          <span className="search-count" aria-live="polite" data-testid="log-search-count">
            {search.term
              ? search.count === 0
                ? 'No matches'
                : `${search.index >= 0 ? search.index + 1 : '?'} of ${search.count}`
              : ''}
          </span>
          <button
            type="button"
            className="icon-button"
            aria-label="Previous match"
            onClick={() => find('previous')}
            disabled={!search.term}
          >
            <Icon name="up" />
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label="Next match"
            onClick={() => find('next')}
            disabled={!search.term}
          >
            <Icon name="down" />
          </button>
        </div>
        <span className={`terminal-status ${state.state === 'failed' ? 'danger' : ''}`} data-testid="log-status">
          {state.state === 'following' && !finished ? <span className="badge-dot pulse" aria-hidden="true" /> : null}
          {status}
        </span>
        <div className="terminal-actions">
          <span className="copied" role="status">
            {copied}
          </span>
          <button
            type="button"
            className="button button-small"
            onClick={() => void copy()}
            title="Copy the selection, or the whole view"
          >
            <Icon name="copy" /> Copy
          </button>
          <button
            type="button"
            className="button button-small"
            onClick={clear}
            title="Clear the view (the log file is kept)"
          >
            <Icon name="clear" /> Clear
          </button>
          <button
            type="button"
            className={`button button-small ${atBottom ? '' : 'button-attention'}`}
            onClick={jumpToEnd}
            data-testid="log-jump-end"
          >
            <Icon name="end" /> {atBottom ? 'At end' : 'Jump to end'}
          </button>
        </div>
      </div>
      <div className="terminal-body">
        <div className="terminal-host" ref={hostRef} data-testid="terminal" />
        {empty && state.state !== 'loading' ? <p className="terminal-empty">{emptyText}</p> : null}
      </div>
    </div>
  );
}
