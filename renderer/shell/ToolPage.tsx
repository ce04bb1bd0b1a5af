import Box from '@mui/material/Box';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import type { ToolEntry } from '../navigation';
import { useNavigation } from '../stores/navigation';

/** A Toolbox page: its title, then its tabs, each tab a component declared in navigation.tsx. */
export function ToolPage({ tool, tabId }: { tool: ToolEntry; tabId: string | null }) {
  const { t } = useTranslation();
  const go = useNavigation((s) => s.go);
  const active = tool.tabs.find((tab) => tab.id === tabId) ?? tool.tabs[0];
  if (!active) return null;
  const { Component } = active;
  return (
    <Box>
      <Typography variant="h1" component="h1" gutterBottom>
        {t(tool.label)}
      </Typography>
      <Typography color="text.secondary" sx={{ mb: 2 }}>
        {t(tool.description)}
      </Typography>
      <Tabs
        value={active.id}
        onChange={(_event, value: string) => go({ kind: 'tool', toolId: tool.id, tabId: value })}
        aria-label={t('tabsLabel', { tool: t(tool.label) })}
        sx={{ borderBottom: 1, borderColor: 'divider', mb: 3 }}
      >
        {tool.tabs.map((tab) => (
          <Tab
            key={tab.id}
            value={tab.id}
            label={t(tab.label)}
            id={`tab-${tool.id}-${tab.id}`}
            aria-controls={`tabpanel-${tool.id}-${tab.id}`}
          />
        ))}
      </Tabs>
      <Box
        role="tabpanel"
        id={`tabpanel-${tool.id}-${active.id}`}
        aria-labelledby={`tab-${tool.id}-${active.id}`}
      >
        <Component />
      </Box>
    </Box>
  );
}
