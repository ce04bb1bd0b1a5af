import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useFirewall } from '../../stores/firewall';
import { useNavigation } from '../../stores/navigation';

/**
 * At start, the app compares its journal with the firewall: when rules it applied are gone (a
 * reboot flushes nftables when the boot unit is not there), every page says so, with the way to
 * put them back. Hidden on the Rules page itself, which shows the same with its buttons.
 */
export function VanishedRulesBanner() {
  const { t } = useTranslation('firewall');
  const [atStart, setAtStart] = useState(0);
  const route = useNavigation((s) => s.route);
  const go = useNavigation((s) => s.go);
  // Once the Rules page has read the firewall, its list is the fresher word.
  const listed = useFirewall((s) =>
    s.status ? s.rules.filter((r) => r.present === false).length : null,
  );
  useEffect(() => {
    let alive = true;
    api
      .call('firewall.status', {})
      .then((status) => alive && setAtStart(status.missing))
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, []);
  const missing = listed ?? atStart;
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
