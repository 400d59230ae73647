import { describe, expect, it } from 'vitest';
import { apiRoutes, type RouteName } from '../../functions/api/routes.js';
import { PAGES, pageOf, pagesFor } from '../../web/src/nav.js';

/**
 * The console shows a page to exactly the roles the API answers its data to: a page shown to
 * a role the API refuses is a dead end, and one hidden from a role the API serves is a gap. If
 * a route's roles change, this fails until the navigation follows.
 */
const dataOf: Record<string, RouteName> = {
  '/': 'overview',
  '/participants': 'participants',
  '/campaigns': 'listCampaigns',
  '/content': 'contentPreview',
  '/exports': 'exportData',
  '/users': 'listUsers',
  '/calls': 'callList',
  '/enumerators': 'supervision',
};

describe('console navigation', () => {
  it.each(PAGES.filter((p) => p.path in dataOf))('$label is shown to the roles its API route serves', (page) => {
    const route = apiRoutes[dataOf[page.path] as RouteName];
    expect([...page.roles].sort()).toEqual([...route.roles].sort());
  });

  it('gives NGO staff no page with diary rows or exports', () => {
    expect(pagesFor(['ngo']).map((p) => p.path)).toEqual(['/', '/campaigns', '/content', '/simulator']);
  });

  it('gives an enumerator their call list only: no overview, participants or exports, where arms would show', () => {
    expect(pagesFor(['enumerator']).map((p) => p.path)).toEqual(['/calls']);
  });

  it('finds the page of a nested path', () => {
    expect(pageOf('/participants/demo-001')?.path).toBe('/participants');
    expect(pageOf('/participantsx')).toBeUndefined();
    expect(pageOf('/')?.path).toBe('/');
  });
});
