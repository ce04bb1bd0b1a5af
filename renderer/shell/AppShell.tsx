import { useEffect, useRef, useState, type MouseEvent } from 'react';
import AppBar from '@mui/material/AppBar';
import Box from '@mui/material/Box';
import Drawer from '@mui/material/Drawer';
import IconButton from '@mui/material/IconButton';
import Toolbar from '@mui/material/Toolbar';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import useMediaQuery from '@mui/material/useMediaQuery';
import { useTheme } from '@mui/material/styles';
import MenuIcon from '@mui/icons-material/Menu';
import SettingsIcon from '@mui/icons-material/Settings';
import ShieldIcon from '@mui/icons-material/Shield';
import { useTranslation } from 'react-i18next';
import { Sidebar } from './Sidebar';
import { ConnectionBanner } from './ConnectionBanner';
import { StoreNoticeBanner } from './StoreNoticeBanner';
import { VanishedRulesBanner } from '../features/firewall/VanishedRulesBanner';
import { useFirewallOnReturn } from '../features/firewall/useFirewallOnReturn';
import { Routes } from './Routes';
import { useNavigation } from '../stores/navigation';

const DRAWER_WIDTH = 248;

/** App bar on top, the Toolbox menu on the left (a drawer that folds away on narrow windows). */
export function AppShell() {
  const { t, i18n } = useTranslation();
  const theme = useTheme();
  const wide = useMediaQuery(theme.breakpoints.up('md'));
  const [mobileOpen, setMobileOpen] = useState(false);
  const go = useNavigation((s) => s.go);
  const route = useNavigation((s) => s.route);
  // A page change made from inside the page (a home card, a history row's "Ouvrir") removes the
  // control that had the focus, and one made from the menu (or the app bar's Settings) would
  // leave it there with nothing said: either way the new page's title takes it, as a screen
  // reader expects (WCAG 2.4.3). A change within the page (its tabs) keeps the focus where it is.
  // Not at start: a page just opened starts at the top, where the skip link is the first stop.
  const firstRoute = useRef(true);
  useEffect(() => {
    if (firstRoute.current) {
      firstRoute.current = false;
      return;
    }
    const active = document.activeElement;
    const fromMenu = active?.closest('nav, header') != null;
    if (active && active !== document.body && !fromMenu) return;
    const title = document.querySelector<HTMLElement>('#main-content h1');
    if (!title) return;
    title.tabIndex = -1;
    title.focus();
  }, [route]);
  // The window's (and tab's) title names the page, "Scanner réseau — Port Auditor" (WCAG 2.4.2),
  // from the page's own h1 so it never says another thing than the page.
  useEffect(() => {
    const page = document.querySelector('#main-content h1')?.textContent?.trim() ?? '';
    const app = t('appName');
    document.title = page && page !== app ? t('nav.pageTitle', { page, app }) : app;
  }, [route, t, i18n.language]);
  // Rules changed from a terminal while the app waited in the background show when it is back.
  useFirewallOnReturn();

  return (
    <Box sx={{ display: 'flex', minHeight: '100vh' }}>
      {/* The first tab stop: past the app bar and the menu's stops, straight to the page (WCAG 2.4.1). */}
      <Box
        component="a"
        href="#main-content"
        onClick={(event: MouseEvent) => {
          // The app routes by state, not by the URL's fragment: move focus without touching it.
          event.preventDefault();
          document.getElementById('main-content')?.focus();
        }}
        sx={{
          position: 'fixed',
          top: 8,
          left: 8,
          zIndex: (th) => th.zIndex.tooltip + 1,
          px: 2,
          py: 1,
          borderRadius: 1,
          bgcolor: 'background.paper',
          color: 'text.primary',
          fontWeight: 600,
          // Off screen until it has the focus; then in the top-left corner, over the app bar.
          transform: 'translateY(-200%)',
          '&:focus': { transform: 'none' },
        }}
      >
        {t('nav.skipToContent')}
      </Box>
      <AppBar position="fixed" color="primary" sx={{ zIndex: (th) => th.zIndex.drawer + 1 }}>
        <Toolbar>
          {!wide && (
            <IconButton
              color="inherit"
              edge="start"
              aria-label={t('nav.openMenu')}
              onClick={() => setMobileOpen(true)}
              sx={{ mr: 1 }}
            >
              <MenuIcon />
            </IconButton>
          )}
          <ShieldIcon sx={{ mr: 1.5 }} aria-hidden />
          <Box sx={{ flexGrow: 1 }}>
            <Typography variant="h6" component="p" sx={{ lineHeight: 1.2, fontWeight: 700 }}>
              {t('appName')}
            </Typography>
            <Typography variant="caption" component="p" sx={{ opacity: 0.85 }}>
              {t('tagline')}
            </Typography>
          </Box>
          <Tooltip title={t('nav.settings')}>
            <IconButton
              color="inherit"
              aria-label={t('nav.settings')}
              onClick={() => go({ kind: 'settings' })}
            >
              <SettingsIcon />
            </IconButton>
          </Tooltip>
        </Toolbar>
      </AppBar>
      {wide ? (
        <Drawer
          variant="permanent"
          sx={{
            width: DRAWER_WIDTH,
            flexShrink: 0,
            // The paper is fixed and one viewport tall; the docked root stretches with the page, so
            // it carries the same background and edge and the menu column never ends mid-page
            // (full-page captures, printing, very long results).
            bgcolor: 'background.paper',
            borderRight: 1,
            borderColor: 'divider',
            '& .MuiDrawer-paper': { width: DRAWER_WIDTH, boxSizing: 'border-box' },
          }}
        >
          <Toolbar />
          <Box sx={{ height: 8 }} />
          <Sidebar />
        </Drawer>
      ) : (
        <Drawer
          variant="temporary"
          open={mobileOpen}
          onClose={() => setMobileOpen(false)}
          ModalProps={{ keepMounted: true }}
          // The open drawer is a modal dialog: named as its menu is (axe aria-dialog-name,
          // WCAG 4.1.2), so a screen reader says what opened (issue 15 item 2).
          slotProps={{ paper: { 'aria-label': t('nav.label') } }}
          sx={{ '& .MuiDrawer-paper': { width: DRAWER_WIDTH } }}
        >
          <Sidebar onNavigate={() => setMobileOpen(false)} />
        </Drawer>
      )}
      <Box
        component="main"
        id="main-content"
        // Focus target of the skip link (and of a page change), not a tab stop of its own.
        tabIndex={-1}
        sx={{ flexGrow: 1, minWidth: 0, p: { xs: 2, md: 4 }, '&:focus': { outline: 'none' } }}
      >
        <Toolbar />
        <Box sx={{ maxWidth: 1100, mx: 'auto' }}>
          <ConnectionBanner />
          <VanishedRulesBanner />
          <StoreNoticeBanner />
          <Routes />
        </Box>
      </Box>
    </Box>
  );
}
