import { z } from 'zod';
import { NAME_PATTERN, NAME_RULE } from '../spec/spec-schema';

/** The names a request carries, checked by the spec's own rule, so a name a spec may hold is one every front end takes. */
export const appNameField = z.string().regex(NAME_PATTERN, `must be an app name: ${NAME_RULE}`);
export const componentNameField = z.string().regex(NAME_PATTERN, `must be a component name: ${NAME_RULE}`);
export const databaseNameField = z.string().regex(NAME_PATTERN, `must be a database name: ${NAME_RULE}`);
