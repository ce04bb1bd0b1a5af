import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useFirewall } from '../../stores/firewall';
import { useNavigation } from '../../stores/navigation';

/**
 * At start, the app compares its journal with the firewall: when rules it applied are gone (a
 * reboot flushes nftables when the boot unit is not there), every page says so, with the way to
 * put them back. Hidden on the Rules page itself, which shows the same with its buttons. The read
 * goes through the firewall store, so every screen (the results' chips too) follows what it found.
 */
export function VanishedRulesBanner() {
  const { t } = useTranslation('firewall');
  const route = useNavigation((s) => s.route);
  const go = useNavigation((s) => s.go);
  const missing = useFirewall((s) => s.rules.filter((r) => r.present === false).length);
  useEffect(() => {
    void useFirewall.getState().load();
  }, []);
  if (missing === 0 || (route.kind === 'tool' && route.toolId === 'firewall-rules')) return null;
  return (
    <Alert
      severity="warning"
      sx={{ mb: 2 }}
      data-testid="vanished-rules"
      action={
        <Button
          color="inherit"
          size="small"
          onClick={() => go({ kind: 'tool', toolId: 'firewall-rules', tabId: 'rules' })}
        >
          {t('rules.open')}
        </Button>
      }
    >
      {t('rules.missingBanner', { count: missing })}
    </Alert>
  );
}
