import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import Chip from '@mui/material/Chip';
import CardContent from '@mui/material/CardContent';
import FormControlLabel from '@mui/material/FormControlLabel';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import Typography from '@mui/material/Typography';
import GppMaybeIcon from '@mui/icons-material/GppMaybe';
import ShieldIcon from '@mui/icons-material/Shield';
import { useTranslation } from 'react-i18next';
import { AppErrorAlert } from '../../components/AppErrorAlert';
import { ResultsNotice } from '../firewall/ResultsNotice';
import { useRisk } from '../../stores/risk';
import { useScan } from '../../stores/scan';
import { isBusy } from '../scan/model';
import { SeverityChip } from './SeverityChip';
import { SEVERITIES } from '../../../app/contract/vocabulary';

/**
 * The head of the results: "Suspicious open ports", the count per severity over every address,
 * and the switch that shows or hides information-only ports, with how many it hides.
 */
export function SuspiciousPortsBar() {
  const { t } = useTranslation('risk');
  const status = useRisk((s) => s.status);
  // While a scan runs its own bar says work goes on: one progress bar at a time (review 15, F5).
  const scanBusy = useScan((s) => isBusy(s.phase));
  const result = useRisk((s) => s.result);
  const error = useRisk((s) => s.error);
  const showInfo = useRisk((s) => s.showInfo);
  const setShowInfo = useRisk((s) => s.setShowInfo);

  if (status === 'idle') return null;
  const counts = result?.counts;
  const hiddenInfo = showInfo ? 0 : (counts?.info ?? 0);

  return (
    <Card
      component="section"
      aria-labelledby="suspicious-ports-title"
      data-testid="risk-summary"
      sx={{ position: 'relative' }}
    >
      {/* Verdicts are worked out again after every firewall change, often while the user is
          pointing at a button further down: the bar lies over the card's top edge instead of
          pushing the results down (a click would land beside the button it aimed at). */}
      {status === 'assessing' && !scanBusy && (
        <LinearProgress
          aria-label={t('assessing')}
          sx={{ position: 'absolute', top: 0, left: 0, right: 0 }}
          data-testid="risk-assessing"
        />
      )}
      <CardContent sx={{ p: { xs: 2, md: 3 } }}>
        <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center', mb: 1.5 }}>
          <GppMaybeIcon color="error" aria-hidden />
          <Typography variant="h2" component="h2" id="suspicious-ports-title">
            {t('title')}
          </Typography>
        </Stack>
        <Typography color="text.secondary" sx={{ mb: 2 }}>
          {t('intro')}
        </Typography>
        {error && <AppErrorAlert error={error} testId="risk-error" />}
        <ResultsNotice />
        {counts && (
          <Box
            role="list"
            aria-label={t('summary.label')}
            data-testid="risk-counts"
            sx={{ display: 'flex', flexWrap: 'wrap', gap: 1, mb: 1.5 }}
          >
            {SEVERITIES.map((severity) => (
              <Box role="listitem" key={severity}>
                <SeverityChip
                  severity={severity}
                  count={counts[severity]}
                  testId={`risk-count-${severity}`}
                />
              </Box>
            ))}
            {(result?.blocked ?? 0) > 0 && (
              <Box role="listitem">
                <Chip
                  size="small"
                  color="success"
                  icon={<ShieldIcon />}
                  label={t('summary.blocked', { count: result?.blocked ?? 0 })}
                  data-testid="risk-count-blocked"
                />
              </Box>
            )}
          </Box>
        )}
        <Stack
          direction="row"
          spacing={2}
          useFlexGap
          sx={{ alignItems: 'center', flexWrap: 'wrap' }}
        >
          <FormControlLabel
            control={
              <Switch
                checked={showInfo}
                onChange={(event) => setShowInfo(event.target.checked)}
                slotProps={{ input: { 'aria-describedby': 'risk-hidden-info' } }}
              />
            }
            label={t('filter.showInfo')}
          />
          <Typography
            id="risk-hidden-info"
            variant="body2"
            color="text.secondary"
            data-testid="risk-hidden-info"
            data-count={hiddenInfo}
          >
            {hiddenInfo > 0 ? t('filter.hidden', { count: hiddenInfo }) : t('filter.noneHidden')}
          </Typography>
        </Stack>
        {result?.programsMissing && (
          // A standing fact of these results, not news: a note, not an alert announced on sight.
          <Alert severity="info" role="note" sx={{ mt: 2 }} data-testid="risk-programs-incomplete">
            {t(`vocabulary:programsMissing.${result.programsMissing}`)}
          </Alert>
        )}
      </CardContent>
    </Card>
  );
}
