// Screens live in the URL hash, so a reload (or a crash) comes back to the
// same screen, for example the form that was being filled.

import { useEffect, useState } from 'preact/hooks';

export type Route = { screen: 'day' } | { screen: 'visit'; id: string } | { screen: 'pending' };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '');
  const visit = /^visita\/([0-9a-fA-F-]{36})$/.exec(path);
  if (visit) return { screen: 'visit', id: visit[1]! };
  if (path === 'pendientes') return { screen: 'pending' };
  return { screen: 'day' };
}

export function routeHash(route: Route): string {
  switch (route.screen) {
    case 'day':
      return '#/';
    case 'visit':
      return `#/visita/${route.id}`;
    case 'pending':
      return '#/pendientes';
  }
}

export function go(route: Route): void {
  window.location.hash = routeHash(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
