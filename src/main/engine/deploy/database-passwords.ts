import { randomBytes } from 'node:crypto';
import type { DatabaseSpec } from '../../../shared/spec/database-spec';
import { databaseBindings } from '../../../shared/spec/database-bindings';
import type { EngineContext } from '../engine-context';
import type { AppRecord } from '../store/state-store';

/** 24 random bytes, URL-safe: nothing in it needs encoding in a URL, so a redactor finds it in DATABASE_URL too. */
function newPassword(): string {
  return randomBytes(24).toString('base64url');
}

/** A database's password in plain, made (and stored sealed) the first time the app needs it. */
export async function databasePassword(ctx: EngineContext, app: AppRecord, db: string): Promise<string> {
  const stored = app.databases?.[db];
  if (stored) return ctx.secrets.open(stored.password);
  // Data kept from an app of this name deleted before: its volume only opens with the password it was made with.
  const kept = ctx.store.state.keptDatabases?.find((k) => k.server === app.server && k.app === app.name && k.db === db);
  const sealed = kept?.password ?? ctx.secrets.seal(newPassword());
  await ctx.store.update((state) => {
    app.databases = { ...app.databases, [db]: { password: sealed } };
    if (kept) state.keptDatabases = state.keptDatabases?.filter((k) => k !== kept);
  });
  return ctx.secrets.open(sealed);
}

/** Every database's bindable variables (`${db.DATABASE_URL}`, ...), its password made when first needed. */
export async function databaseValues(
  ctx: EngineContext,
  app: AppRecord,
  databases: readonly DatabaseSpec[],
): Promise<Map<string, Record<string, string>>> {
  const out = new Map<string, Record<string, string>>();
  for (const db of databases) out.set(db.name, databaseBindings(db, await databasePassword(ctx, app, db.name)));
  return out;
}
