import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import { useClient } from '../client';
import { describeError } from '../lib/errors';
import { ignoreHostileOsc } from '../logs/ignored-osc';
import { colorScheme, TERMINAL_THEMES } from '../logs/terminal-theme';
import { base64ToBytes, binaryStringBytes } from './base64';
import { shellInput } from './shell-input';

type ShellState =
  { state: 'opening' } | { state: 'open' } | { state: 'ended'; message: string } | { state: 'failed'; message: string };

/** The log view's colours, with a cursor that shows: here the user types. */
const shellTheme = () => {
  const theme = TERMINAL_THEMES[colorScheme()];
  return { ...theme, cursor: theme.foreground };
};

const STATUS: Record<ShellState['state'], string> = {
  opening: 'Connecting…',
  open: 'Connected',
  ended: 'Ended',
  failed: 'Could not open',
};

/**
 * A database's own client (`dbShell`) in a terminal: keys go to it as typed, its output is written as it comes,
 * the size follows the panel. Leaving the view ends the session (its stream is unsubscribed).
 */
export function DbShellTerminal({ app, db, onClose }: { app: string; db: string; onClose(): void }) {
  const client = useClient();
  const hostRef = useRef<HTMLDivElement>(null);
  const [shell, setShell] = useState<ShellState>({ state: 'opening' });

  useEffect(() => {
    const host = hostRef.current!;
    const term = new Terminal({
      cursorBlink: true,
      fontFamily: "ui-monospace, 'SF Mono', 'Cascadia Mono', 'DejaVu Sans Mono', Menlo, Consolas, monospace",
      fontSize: 12.5,
      lineHeight: 1.2,
      scrollback: 5_000,
      theme: shellTheme(),
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    const ignoredOsc = ignoreHostileOsc(term);
    term.open(host);
    if (host.clientWidth > 0 && host.clientHeight > 0) fit.fit();

    let disposed = false;
    let session: string | null = null;
    let unsubscribe: (() => void) | null = null;
    let received = 0;
    const ended = (message: string) => {
      session = null;
      if (!disposed) setShell({ state: 'ended', message });
    };
    const send = shellInput(
      (data) => (session ? client.dbShell.input({ session, data }) : Promise.resolve()),
      (err) => ended(describeError(err).message),
    );

    void (async () => {
      try {
        const opened = await client.dbShell.open({ app, db, cols: term.cols, rows: term.rows });
        if (disposed) {
          void client.dbShell.close(opened).catch(() => undefined);
          return;
        }
        session = opened.session;
        const stop = await client.dbShell.output(opened, (event) => {
          if (event.type === 'data') {
            const bytes = base64ToBytes(event.data);
            received += bytes.length;
            term.write(bytes, () => (host.dataset.received = String(received)));
          } else {
            ended(event.reason ?? `The client exited${event.code === null ? '' : ` with code ${event.code}`}.`);
          }
        });
        if (disposed) {
          stop();
          return;
        }
        unsubscribe = stop;
        if (session) setShell({ state: 'open' });
        term.focus();
      } catch (err) {
        if (!disposed) setShell({ state: 'failed', message: describeError(err).message });
      }
    })();

    const typed = term.onData((data) => {
      if (session) void send(new TextEncoder().encode(data));
    });
    const binary = term.onBinary((data) => {
      if (session) void send(binaryStringBytes(data));
    });
    const resized = term.onResize(({ cols, rows }) => {
      if (session) void client.dbShell.resize({ session, cols, rows }).catch(() => undefined);
    });
    let frame: number | null = null;
    const observer = new ResizeObserver(() => {
      if (frame !== null) return;
      frame = requestAnimationFrame(() => {
        frame = null;
        if (host.clientWidth > 0 && host.clientHeight > 0) fit.fit();
      });
    });
    observer.observe(host);
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const onScheme = () => {
      term.options.theme = shellTheme();
    };
    media.addEventListener('change', onScheme);

    return () => {
      disposed = true;
      media.removeEventListener('change', onScheme);
      observer.disconnect();
      if (frame !== null) cancelAnimationFrame(frame);
      typed.dispose();
      binary.dispose();
      resized.dispose();
      // Unsubscribing ends the session in the engine: the client is hung up.
      unsubscribe?.();
      ignoredOsc.dispose();
      term.dispose();
    };
  }, [client, app, db]);

  const message = shell.state === 'ended' || shell.state === 'failed' ? shell.message : null;
  return (
    <div className="terminal-frame" data-testid="db-shell" data-db={db} data-state={shell.state}>
      <div className="terminal-toolbar" role="toolbar" aria-label={`Shell of ${db}`}>
        <strong>Shell: {db}</strong>
        <span
          className={`terminal-status ${shell.state === 'failed' ? 'danger' : ''}`}
          data-testid="db-shell-status"
          role="status"
        >
          {shell.state === 'open' ? <span className="badge-dot" aria-hidden="true" /> : null}
          {STATUS[shell.state]}
          {message ? `: ${message}` : ''}
        </span>
        <div className="terminal-actions">
          <button type="button" className="button button-small" onClick={onClose} data-testid="db-shell-close">
            Close shell
          </button>
        </div>
      </div>
      <div className="terminal-body">
        <div className="terminal-host" ref={hostRef} data-testid="db-shell-terminal" />
      </div>
    </div>
  );
}
