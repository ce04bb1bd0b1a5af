import { useState } from 'react';
import Collapse from '@mui/material/Collapse';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import Divider from '@mui/material/Divider';
import Box from '@mui/material/Box';
import HomeIcon from '@mui/icons-material/Home';
import HandymanIcon from '@mui/icons-material/Handyman';
import SettingsIcon from '@mui/icons-material/Settings';
import HistoryIcon from '@mui/icons-material/History';
import ExpandLess from '@mui/icons-material/ExpandLess';
import ExpandMore from '@mui/icons-material/ExpandMore';
import { useTranslation } from 'react-i18next';
import { toolbox } from '../navigation';
import { useNavigation, type Route } from '../stores/navigation';

/** The left menu: Home, the Toolbox (one entry per tool page), History, Settings. */
export function Sidebar({ onNavigate }: { onNavigate?: () => void }) {
  const { t } = useTranslation();
  const route = useNavigation((s) => s.route);
  const go = useNavigation((s) => s.go);
  const [toolboxOpen, setToolboxOpen] = useState(true);
  const navigate = (next: Route) => {
    go(next);
    onNavigate?.();
  };

  return (
    <Box component="nav" aria-label={t('nav.label')} sx={{ overflowY: 'auto' }}>
      {/* Every row in an <li>: a <ul> holds list items only (WCAG 1.3.1, axe "list"). */}
      <List>
        <ListItem disablePadding>
          <ListItemButton
            selected={route.kind === 'home'}
            aria-current={route.kind === 'home' ? 'page' : undefined}
            onClick={() => navigate({ kind: 'home' })}
          >
            <ListItemIcon>
              <HomeIcon />
            </ListItemIcon>
            <ListItemText primary={t('nav.home')} />
          </ListItemButton>
        </ListItem>
        <ListItem disablePadding sx={{ display: 'block' }}>
          <ListItemButton
            aria-expanded={toolboxOpen}
            aria-controls="toolbox-menu"
            onClick={() => setToolboxOpen((open) => !open)}
          >
            <ListItemIcon>
              <HandymanIcon />
            </ListItemIcon>
            <ListItemText primary={t('nav.toolbox')} />
            {toolboxOpen ? <ExpandLess /> : <ExpandMore />}
          </ListItemButton>
          <Collapse in={toolboxOpen} timeout="auto" unmountOnExit>
            <List id="toolbox-menu" disablePadding aria-label={t('nav.toolbox')}>
              {toolbox.map((tool) => {
                const selected = route.kind === 'tool' && route.toolId === tool.id;
                return (
                  <ListItem key={tool.id} disablePadding>
                    <ListItemButton
                      sx={{ pl: 4 }}
                      selected={selected}
                      aria-current={selected ? 'page' : undefined}
                      onClick={() =>
                        navigate({ kind: 'tool', toolId: tool.id, tabId: tool.tabs[0]?.id ?? null })
                      }
                    >
                      <ListItemIcon>{tool.icon}</ListItemIcon>
                      <ListItemText primary={t(tool.label)} />
                    </ListItemButton>
                  </ListItem>
                );
              })}
            </List>
          </Collapse>
        </ListItem>
        <ListItem disablePadding>
          <ListItemButton
            selected={route.kind === 'history'}
            aria-current={route.kind === 'history' ? 'page' : undefined}
            onClick={() => navigate({ kind: 'history' })}
          >
            <ListItemIcon>
              <HistoryIcon />
            </ListItemIcon>
            <ListItemText primary={t('nav.history')} />
          </ListItemButton>
        </ListItem>
      </List>
      <Divider />
      <List>
        <ListItem disablePadding>
          <ListItemButton
            selected={route.kind === 'settings'}
            aria-current={route.kind === 'settings' ? 'page' : undefined}
            onClick={() => navigate({ kind: 'settings' })}
          >
            <ListItemIcon>
              <SettingsIcon />
            </ListItemIcon>
            <ListItemText primary={t('nav.settings')} />
          </ListItemButton>
        </ListItem>
      </List>
    </Box>
  );
}
