import { create } from 'zustand';
import { parseRoute, routeHash, shownScanOfHash, withShownScan, type Route } from '../shell/route';

export { parseRoute, routeHash, type Route };

interface NavigationState {
  route: Route;
  go(route: Route): void;
}

export const useNavigation = create<NavigationState>()((set) => ({
  route: parseRoute(window.location.hash),
  go(route) {
    // The shown scan stays named in the address whatever the screen (see withShownScan).
    const hash = withShownScan(routeHash(route), shownScanOfHash(window.location.hash));
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
