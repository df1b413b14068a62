import { Foundation1764190000000 } from './1764190000000-foundation';
import { Lists1764190100000 } from './1764190100000-lists';

/** Applied in this order; a migration is never edited after it lands. */
export const MIGRATIONS = [Foundation1764190000000, Lists1764190100000];
