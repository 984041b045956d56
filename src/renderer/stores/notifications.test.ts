import { describe, expect, it } from 'vitest';
import { notificationsWanted, setNotificationsWanted } from './notifications';

function memoryStorage(): Pick<Storage, 'getItem' | 'setItem'> {
  const items = new Map<string, string>();
  return { getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value) };
}

describe('the notification preference', () => {
  it('is on until the user turns it off, and remembers either choice', () => {
    const storage = memoryStorage();
    expect(notificationsWanted(storage)).toBe(true);
    setNotificationsWanted(false, storage);
    expect(notificationsWanted(storage)).toBe(false);
    setNotificationsWanted(true, storage);
    expect(notificationsWanted(storage)).toBe(true);
  });
});
