import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import { findTool } from '../navigation';
import { useNavigation } from '../stores/navigation';
import { HomePage } from '../features/home/HomePage';
import { SettingsPage } from '../features/settings/SettingsPage';
import { HistoryPage } from '../features/history/HistoryPage';
import { ToolPage } from './ToolPage';

export function Routes() {
  const { t } = useTranslation();
  const route = useNavigation((s) => s.route);
  const go = useNavigation((s) => s.go);
  if (route.kind === 'home') return <HomePage />;
  if (route.kind === 'settings') return <SettingsPage />;
  if (route.kind === 'history') return <HistoryPage />;
  const tool = findTool(route.toolId);
  if (tool) return <ToolPage tool={tool} tabId={route.tabId} />;
  return (
    <Stack spacing={2} sx={{ alignItems: 'flex-start' }}>
      <Typography variant="h1">{t('notFound.title')}</Typography>
      <Button variant="outlined" onClick={() => go({ kind: 'home' })}>
        {t('notFound.back')}
      </Button>
    </Stack>
  );
}
