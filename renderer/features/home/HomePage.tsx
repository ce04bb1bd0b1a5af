import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardActionArea from '@mui/material/CardActionArea';
import CardContent from '@mui/material/CardContent';
import Grid from '@mui/material/Grid';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import ShieldIcon from '@mui/icons-material/Shield';
import { useTranslation } from 'react-i18next';
import { toolbox } from '../../navigation';
import { useNavigation } from '../../stores/navigation';

export function HomePage() {
  const { t } = useTranslation();
  const go = useNavigation((s) => s.go);
  const first = toolbox[0];
  return (
    <Stack spacing={4}>
      <Card sx={{ p: { xs: 2, md: 3 } }}>
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={3} sx={{ alignItems: 'center' }}>
          <Box
            sx={{
              width: 88,
              height: 88,
              borderRadius: '50%',
              display: 'grid',
              placeItems: 'center',
              bgcolor: 'primary.main',
              color: 'primary.contrastText',
              flexShrink: 0,
            }}
          >
            <ShieldIcon sx={{ fontSize: 48 }} aria-hidden />
          </Box>
          <Box>
            <Typography variant="h1" component="h1" gutterBottom>
              {t('home.title')}
            </Typography>
            <Typography color="text.secondary" sx={{ mb: 2 }}>
              {t('home.intro')}
            </Typography>
            {first && (
              <Button
                variant="contained"
                size="large"
                onClick={() =>
                  go({ kind: 'tool', toolId: first.id, tabId: first.tabs[0]?.id ?? null })
                }
              >
                {t('home.start')}
              </Button>
            )}
          </Box>
        </Stack>
      </Card>
      <Box component="section" aria-labelledby="home-tools">
        <Typography variant="h2" id="home-tools" gutterBottom>
          {t('home.toolsTitle')}
        </Typography>
        <Grid container spacing={2}>
          {toolbox.map((tool) => (
            <Grid key={tool.id} size={{ xs: 12, sm: 6, md: 4 }}>
              <Card sx={{ height: '100%' }}>
                <CardActionArea
                  sx={{ height: '100%', p: 1 }}
                  onClick={() =>
                    go({ kind: 'tool', toolId: tool.id, tabId: tool.tabs[0]?.id ?? null })
                  }
                >
                  <CardContent>
                    <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center', mb: 1 }}>
                      <Box sx={{ color: 'primary.main', display: 'flex' }}>{tool.icon}</Box>
                      <Typography variant="h3" component="h3">
                        {t(tool.label)}
                      </Typography>
                    </Stack>
                    <Typography variant="body2" color="text.secondary">
                      {t(tool.description)}
                    </Typography>
                  </CardContent>
                </CardActionArea>
              </Card>
            </Grid>
          ))}
        </Grid>
      </Box>
    </Stack>
  );
}
