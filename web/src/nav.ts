import type { Role } from './roles.js';

/**
 * The console's pages and the roles that may open them. They mirror the API's route roles
 * (functions/api/routes.ts): a page is shown only when its data would be answered, so NGO
 * staff never see a door to diary rows they cannot open.
 */
export interface Page {
  path: string;
  label: string;
  roles: readonly Role[];
}

const ALL: readonly Role[] = ['researcher', 'ngo', 'admin'];
const RESEARCH: readonly Role[] = ['researcher', 'admin'];

export const PAGES: readonly Page[] = [
  { path: '/', label: 'Overview', roles: ALL },
  { path: '/participants', label: 'Participants', roles: RESEARCH },
  { path: '/campaigns', label: 'Campaigns', roles: ALL },
  { path: '/content', label: 'Content', roles: ALL },
  { path: '/exports', label: 'Exports & impact', roles: RESEARCH },
  { path: '/simulator', label: 'Phone simulator', roles: ALL },
  { path: '/users', label: 'Staff', roles: ['admin'] },
  { path: '/calls', label: 'My calls', roles: ['enumerator'] },
  { path: '/enumerators', label: 'Enumerators', roles: RESEARCH },
];

export function pagesFor(roles: readonly Role[]): Page[] {
  return PAGES.filter((p) => p.roles.some((r) => roles.includes(r)));
}

/** The page a path belongs to (`/participants/demo-001` belongs to `/participants`). */
export function pageOf(path: string): Page | undefined {
  return PAGES.find((p) => (p.path === '/' ? path === '/' : path === p.path || path.startsWith(`${p.path}/`)));
}
