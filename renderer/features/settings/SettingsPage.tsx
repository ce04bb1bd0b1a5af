import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Stack from '@mui/material/Stack';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import { AppErrorAlert } from '../../components/AppErrorAlert';
import { browserLanguage } from '../../i18n';
import { useApp } from '../../stores/app';
import {
  resolveLanguage,
  useSettings,
  type LanguageChoice,
  type ThemeChoice,
} from '../../stores/settings';

const LANGUAGE_CHOICES: LanguageChoice[] = ['auto', 'fr', 'en'];
const THEME_CHOICES: ThemeChoice[] = ['system', 'light', 'dark'];
const KEEP_SCANS = [20, 50, 100, 500, 1000];
const KEEP_DAYS = [7, 30, 90, 365, 3650];

/** The choices offered, with the value in force when it is another one. */
function withCurrent(choices: number[], current: number): number[] {
  return choices.includes(current) ? choices : [...choices, current].sort((a, b) => a - b);
}

export function SettingsPage() {
  const { t } = useTranslation('settings');
  const { language, theme, history, setLanguage, setTheme, setHistory, saved, error } =
    useSettings();
  const info = useApp((s) => s.info);
  const infoError = useApp((s) => s.infoError);
  const automatic = resolveLanguage('auto', browserLanguage(), info?.systemLanguage ?? null);

  return (
    <Stack spacing={3}>
      <Typography variant="h1" component="h1">
        {t('title')}
      </Typography>
      <Card>
        <CardContent>
          <FormControl>
            <FormLabel id="settings-language" sx={{ mb: 1, fontWeight: 600 }}>
              {t('language.title')}
            </FormLabel>
            <RadioGroup
              aria-labelledby="settings-language"
              value={language}
              onChange={(event) => void setLanguage(event.target.value as LanguageChoice)}
            >
              {LANGUAGE_CHOICES.map((choice) => (
                <FormControlLabel
                  key={choice}
                  value={choice}
                  control={<Radio />}
                  label={
                    choice === 'auto'
                      ? t('language.auto', { language: t(`language.${automatic}`) })
                      : t(`language.${choice}`)
                  }
                  lang={choice === 'auto' ? undefined : choice}
                />
              ))}
            </RadioGroup>
          </FormControl>
        </CardContent>
      </Card>
      <Card>
        <CardContent>
          <FormControl>
            <FormLabel id="settings-theme" sx={{ mb: 1, fontWeight: 600 }}>
              {t('theme.title')}
            </FormLabel>
            <RadioGroup
              aria-labelledby="settings-theme"
              value={theme}
              onChange={(event) => void setTheme(event.target.value as ThemeChoice)}
            >
              {THEME_CHOICES.map((choice) => (
                <FormControlLabel
                  key={choice}
                  value={choice}
                  control={<Radio />}
                  label={t(`theme.${choice}`)}
                />
              ))}
            </RadioGroup>
          </FormControl>
        </CardContent>
      </Card>
      <Card component="section" aria-labelledby="settings-history">
        <CardContent>
          <Typography variant="h3" component="h2" id="settings-history" gutterBottom>
            {t('history.title')}
          </Typography>
          <Typography color="text.secondary" sx={{ mb: 2 }}>
            {t('history.body')}
          </Typography>
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
            <TextField
              select
              label={t('history.keepScans')}
              value={history.keepScans}
              onChange={(event) =>
                void setHistory({ ...history, keepScans: Number(event.target.value) })
              }
              sx={{ minWidth: 220 }}
            >
              {withCurrent(KEEP_SCANS, history.keepScans).map((n) => (
                <MenuItem key={n} value={n}>
                  {t('history.scans', { count: n })}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              select
              label={t('history.keepDays')}
              value={history.keepDays}
              onChange={(event) =>
                void setHistory({ ...history, keepDays: Number(event.target.value) })
              }
              sx={{ minWidth: 220 }}
            >
              {withCurrent(KEEP_DAYS, history.keepDays).map((n) => (
                <MenuItem key={n} value={n}>
                  {t('history.days', { count: n })}
                </MenuItem>
              ))}
            </TextField>
          </Stack>
        </CardContent>
      </Card>
      {error ? (
        <AppErrorAlert error={error} />
      ) : (
        <Typography variant="body2" color="text.secondary" role="status">
          {saved ? t('saved') : t('kept')}
        </Typography>
      )}
      <Card component="section" aria-labelledby="settings-about">
        <CardContent>
          <Typography variant="h3" component="h2" id="settings-about" gutterBottom>
            {t('about.title')}
          </Typography>
          {info && (
            <Stack spacing={0.5}>
              <Typography>{t('about.version', { version: info.version })}</Typography>
              <Typography>{t('about.host', { host: t(`about.hosts.${info.host}`) })}</Typography>
              <Typography>
                {t('about.machine', { hostname: info.hostname, os: info.osName })}
              </Typography>
            </Stack>
          )}
          {infoError && <AppErrorAlert error={infoError} />}
        </CardContent>
      </Card>
    </Stack>
  );
}
