/** Hash routes keep the console to one HTML page: #/dashboard, #/queue, #/cases/:id, #/declarations[/:id], #/lists, #/audit. */
export type PageName =
  'dashboard' | 'queue' | 'case' | 'declarations' | 'declaration' | 'lists' | 'audit' | 'not-found';

export interface Route {
  page: PageName;
  id?: string;
  query: URLSearchParams;
}

const SIMPLE: Record<string, PageName> = {
  dashboard: 'dashboard',
  queue: 'queue',
  declarations: 'declarations',
  lists: 'lists',
  audit: 'audit',
};

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const [path = '', qs = ''] = raw.split('?', 2);
  const parts = path
    .split('/')
    .filter(Boolean)
    .map((p) => decodeURIComponent(p));
  const query = new URLSearchParams(qs);
  if (parts.length === 0) return { page: 'queue', query };
  if (parts.length === 1 && SIMPLE[parts[0]]) return { page: SIMPLE[parts[0]], query };
  if (parts.length === 2 && parts[0] === 'cases') return { page: 'case', id: parts[1], query };
  if (parts.length === 2 && parts[0] === 'declarations') return { page: 'declaration', id: parts[1], query };
  return { page: 'not-found', query };
}

export function href(path: string, query: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) params.set(k, v);
  const qs = params.toString();
  return `#/${path}${qs ? `?${qs}` : ''}`;
}

export function caseHref(id: string): string {
  return `#/cases/${encodeURIComponent(id)}`;
}

export function declarationHref(id: string): string {
  return `#/declarations/${encodeURIComponent(id)}`;
}
