import { describe, expect, it } from 'vitest';
import type { AppEvent, AppSummary } from '../../../shared/domains/apps';
import { AppEvents } from './app-events';
import { deploymentRecord } from './fake-engine.test-support';

const summary = (name: string) => ({ name }) as AppSummary;

describe('AppEvents', () => {
  it('sends every event to a subscriber of all apps, and only its app’s to one of an app', () => {
    const events = new AppEvents();
    const all: AppEvent[] = [];
    const shop: AppEvent[] = [];
    events.subscribe(undefined, (e) => all.push(e));
    const stop = events.subscribe('shop', (e) => shop.push(e));

    const sent: AppEvent[] = [
      { type: 'app', app: summary('shop') },
      { type: 'app', app: summary('blog') },
      { type: 'deployment', deployment: deploymentRecord('shop', 'd1', 'BUILDING', '') },
      { type: 'deployment', deployment: deploymentRecord('blog', 'd2', 'BUILDING', '') },
      { type: 'app-deleted', app: 'shop' },
      { type: 'app-deleted', app: 'blog' },
    ];
    for (const e of sent) events.emit(e);
    expect(all).toEqual(sent);
    expect(shop).toEqual([sent[0], sent[2], sent[4]]);

    stop();
    events.emit({ type: 'app-deleted', app: 'shop' });
    expect(shop).toHaveLength(3);
    expect(all).toHaveLength(7);
  });
});
