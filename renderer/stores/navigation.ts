import { create } from 'zustand';
import { parseRoute, routeHash, type Route } from '../shell/route';

export { parseRoute, routeHash, type Route };

interface NavigationState {
  route: Route;
  go(route: Route): void;
}

export const useNavigation = create<NavigationState>()((set) => ({
  route: parseRoute(window.location.hash),
  go(route) {
    const hash = routeHash(route);
    if (window.location.hash !== hash) window.history.pushState(null, '', hash);
    set({ route });
  },
}));

window.addEventListener('popstate', () => {
  useNavigation.setState({ route: parseRoute(window.location.hash) });
});
window.addEventListener('hashchange', () => {
  useNavigation.setState({ route: parseRoute(window.location.hash) });
});
