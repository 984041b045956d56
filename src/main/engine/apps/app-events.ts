import { EventEmitter } from 'node:events';
import type { AppEvent } from '../../../shared/domains/apps';
import type { Unsubscribe } from '../../../shared/rpc/transport';

/** The `apps.events` stream: every subscriber hears every event, or only those about its app. */
export class AppEvents {
  private readonly events = new EventEmitter();

  constructor() {
    this.events.setMaxListeners(0);
  }

  emit(event: AppEvent): void {
    this.events.emit('event', event);
  }

  subscribe(app: string | undefined, emit: (event: AppEvent) => void): Unsubscribe {
    const listener = (event: AppEvent) => {
      const about =
        event.type === 'app' ? event.app.name : event.type === 'app-deleted' ? event.app : event.deployment.app;
      if (!app || about === app) emit(event);
    };
    this.events.on('event', listener);
    return () => this.events.off('event', listener);
  }
}
