import type { StoreApi } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { ErrorCode } from '../../shared/errors';
import type { EngineStatus as Status, ListedEvent, SystemState } from '../stores/system-store';
import { MAX_EVENTS, POLL_INTERVAL_MS } from '../stores/system-store';

const TIME_FORMAT = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** The engine's timestamp as a Date, or undefined when it is missing or nonsense (Date would throw on format). */
function eventDate(seconds: number): Date | undefined {
  const date = new Date(seconds * 1000);
  return seconds > 0 && Number.isFinite(date.getTime()) ? date : undefined;
}

/** Docker's full ids are 64 hex digits; the first 12 are what `docker ps` shows. */
function shortId(id: string): string {
  return id.slice(0, 12);
}

const BADGE_TEXT: Record<Status['state'], string> = {
  loading: 'Connecting…',
  online: 'Running',
  unreachable: 'Unreachable',
};

function StatusBadge({ state }: { state: Status['state'] }) {
  return (
    <span className={`badge badge-${state}`} role="status">
      <span className="badge-dot" aria-hidden="true" />
      {BADGE_TEXT[state]}
    </span>
  );
}

/** A one-line summary of the engine for the sidebar's foot. */
export function EngineIndicator({ store }: { store: StoreApi<SystemState> }) {
  const status = useStore(store, (state) => state.status);
  const label =
    status.state === 'online'
      ? `Engine running · Docker ${status.info.docker.version}`
      : status.state === 'unreachable'
        ? 'Engine unreachable'
        : 'Connecting to engine…';
  return (
    <p className={`engine-indicator engine-indicator-${status.state}`}>
      <span className="badge-dot" aria-hidden="true" />
      <span>{label}</span>
    </p>
  );
}

function EngineFacts({ status }: { status: Extract<Status, { state: 'online' }> }) {
  const { docker, slipwayVersion } = status.info;
  return (
    <>
      <p className="engine-version" data-testid="docker-version">
        Docker {docker.version} (API {docker.apiVersion})
      </p>
      <dl className="facts">
        <div>
          <dt>Endpoint</dt>
          <dd className="mono" data-testid="docker-endpoint">
            {docker.endpoint}
          </dd>
        </div>
        <div>
          <dt>Platform</dt>
          <dd className="mono">
            {docker.os}/{docker.arch}
          </dd>
        </div>
        <div>
          <dt>Slipway</dt>
          <dd className="mono" data-testid="slipway-version">
            {slipwayVersion}
          </dd>
        </div>
      </dl>
    </>
  );
}

/** Says which link is broken: this window to Slipway's engine, or that engine to Docker. */
function failureTitle(code: ErrorCode): string {
  switch (code) {
    case 'DOCKER_UNREACHABLE':
      return 'Slipway cannot reach the Docker engine.';
    case 'UNAUTHORIZED':
    case 'TRANSPORT_CLOSED':
      return 'This window is not connected to the Slipway engine.';
    default:
      return 'Slipway could not ask the Docker engine for its status.';
  }
}

function EngineUnreachable({
  status,
  onRetry,
}: {
  status: Extract<Status, { state: 'unreachable' }>;
  onRetry(): void;
}) {
  return (
    <div className="callout callout-error" role="alert">
      <p className="callout-title">{failureTitle(status.code)}</p>
      <p className="callout-body" data-testid="engine-error">
        {status.message}
      </p>
      <p className="callout-meta">
        <code>{status.code}</code> · checking again every {POLL_INTERVAL_MS / 1000} seconds
      </p>
      <button type="button" className="button" onClick={onRetry}>
        Retry now
      </button>
    </div>
  );
}

function EventTime({ seconds }: { seconds: number }) {
  const date = eventDate(seconds);
  if (!date) return <span className="event-time mono">—</span>;
  return (
    <time className="event-time mono" dateTime={date.toISOString()}>
      {TIME_FORMAT.format(date)}
    </time>
  );
}

function EventRow({ event }: { event: ListedEvent }) {
  return (
    <li className="event" data-testid="container-event" data-action={event.action}>
      <EventTime seconds={event.time} />
      <span className={`event-action event-action-${/^[a-z_-]+$/.test(event.action) ? event.action : 'other'}`}>
        {event.action}
      </span>
      <span className="event-name" title={event.containerId}>
        {event.containerName || shortId(event.containerId)}
      </span>
      <span className="event-image mono">{event.image}</span>
      {event.app ? <span className="event-app">app {event.app}</span> : null}
    </li>
  );
}

function ContainerEvents({ events, live }: { events: ListedEvent[]; live: boolean }) {
  return (
    <div className="events">
      <div className="events-header">
        <h3 id="container-events-title">Container events</h3>
        <span className={`live ${live ? 'live-on' : 'live-off'}`}>{live ? 'Live' : 'Not connected'}</span>
      </div>
      {events.length === 0 ? (
        <p className="events-empty">
          {live
            ? 'No container events since Slipway opened. Starting or stopping a container shows up here.'
            : 'Events appear here once the engine answers.'}
        </p>
      ) : (
        <ol className="event-list" data-testid="container-events" aria-labelledby="container-events-title">
          {events.map((event) => (
            <EventRow key={event.seq} event={event} />
          ))}
        </ol>
      )}
      {events.length >= MAX_EVENTS ? <p className="events-note">Showing the latest {MAX_EVENTS}.</p> : null}
    </div>
  );
}

/** The local Docker engine: what it is, whether it answers, and what its containers are doing. */
export function EngineStatus({ store }: { store: StoreApi<SystemState> }) {
  const status = useStore(store, (state) => state.status);
  const events = useStore(store, (state) => state.events);
  const live = useStore(store, (state) => state.eventsLive);
  const refresh = useStore(store, (state) => state.refresh);

  return (
    <section
      className="panel engine-status"
      data-testid="engine-status"
      data-state={status.state}
      aria-labelledby="engine-status-title"
      aria-busy={status.state === 'loading'}
    >
      <header className="panel-header">
        <h2 id="engine-status-title">Local Docker engine</h2>
        <StatusBadge state={status.state} />
      </header>
      {status.state === 'online' ? <EngineFacts status={status} /> : null}
      {status.state === 'unreachable' ? <EngineUnreachable status={status} onRetry={() => void refresh()} /> : null}
      {status.state === 'loading' ? <p className="muted">Asking the Docker engine…</p> : null}
      <ContainerEvents events={events} live={live} />
    </section>
  );
}
