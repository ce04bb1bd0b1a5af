import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableContainer from '@mui/material/TableContainer';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import UndoIcon from '@mui/icons-material/Undo';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LocalizedText } from '../../../app/contract/errors';
import type { FirewallRule } from '../../../app/contract/firewall';
import { formatDateTime } from '../../../app/contract/datetime';
import { ruleStateText } from '../../../app/contract/vocabulary';
import { OUTSIDE_WORDS_MAX, quotable } from '../../../app/contract/outside-words';
import { AppErrorAlert } from '../../components/AppErrorAlert';
import { useFirewall } from '../../stores/firewall';
import { MONO_FONT } from '../../theme';
import { VISUALLY_HIDDEN } from '../../components/visually-hidden';

function portText(rule: FirewallRule): string {
  return rule.portFrom === rule.portTo ? String(rule.portFrom) : `${rule.portFrom}-${rule.portTo}`;
}

/** The rules Port Auditor created, each with Undo, and "Undo all". */
export function RulesTab() {
  const { t, i18n } = useTranslation('firewall');
  const say = (text: LocalizedText) => (i18n.language === 'fr' ? text.fr : text.en);
  const {
    rules,
    verified,
    status,
    loading,
    busy,
    error,
    notice,
    load,
    undo,
    reapply,
    clearMessages,
  } = useFirewall();
  const [confirmAll, setConfirmAll] = useState(false);
  // Until this visit's first read is back, the list shown may be an older one: the page says it is
  // busy (aria-busy) so that neither a screen reader nor a click acts on rows about to move.
  const [read, setRead] = useState(false);
  useEffect(() => {
    void load().finally(() => setRead(true));
    // A message belongs to what the user just did here: leaving the page clears it.
    return () => clearMessages();
  }, [load, clearMessages]);
  const working = busy.length > 0;
  // The remark on Windows' slow rule listing only where the firewall is Windows' (known once a
  // first status is back); elsewhere, and before that, a Linux user is not told about Windows
  // (review 15, R4).
  const readingText = status?.backend === 'netsh' ? t('rules.readingWindows') : t('rules.reading');
  const missing = rules.filter((r) => r.present === false && r.origin !== 'found');

  // An undo removes the row (and the button) that had the focus, or disables "Tout débloquer":
  // once it is done, the focus goes to the list's heading, or to the message saying it is empty.
  const heading = useRef<HTMLHeadingElement>(null);
  const emptyMessage = useRef<HTMLParagraphElement>(null);
  // Set from the press until the list is read again after it: the focus is then placed in the
  // same render that removes the row, before the browser paints it, so no frame has it on <body>.
  const afterUndo = useRef(false);
  const undoThenFocus = async (ids: string[] | 'all') => {
    afterUndo.current = true;
    try {
      await undo(ids);
    } finally {
      // Already cleared by the render that read the list again, unless none came.
      afterUndo.current = false;
    }
  };
  useLayoutEffect(() => {
    if (!afterUndo.current || working || loading) return;
    // The first render with the work done and the list read again (the two are set together).
    afterUndo.current = false;
    const active = document.activeElement;
    const lost =
      !active ||
      active === document.body ||
      (active instanceof HTMLButtonElement && active.disabled);
    if (lost) (rules.length === 0 ? emptyMessage.current : heading.current)?.focus();
  }, [working, loading, rules.length]);

  return (
    <Stack spacing={2} data-testid="firewall-rules" aria-busy={!read || loading}>
      {status && (
        <Typography variant="body2" color="text.secondary" data-testid="firewall-backend">
          {t('rules.backend', { backend: status.backend })}
          {status.backupPath
            ? ` · ${t('rules.backup', { path: quotable(status.backupPath, OUTSIDE_WORDS_MAX.path) })}`
            : ''}
        </Typography>
      )}
      {status?.repairs.map((r, i) => (
        <Alert key={`r${i}`} severity="warning" data-testid="firewall-repair">
          {say(r)}
        </Alert>
      ))}
      {status?.warnings.map((w, i) => (
        // Standing notices of the firewall (the nftables reboot notice…): notes, not alerts.
        <Alert key={`w${i}`} severity="info" role="note" data-testid="firewall-warning">
          {say(w)}
        </Alert>
      ))}
      {loading && (
        <Stack spacing={0.5} data-testid="firewall-reading">
          <Typography variant="body2" role="status">
            {readingText}
          </Typography>
          <LinearProgress aria-label={readingText} />
        </Stack>
      )}
      {!verified && !loading && rules.length > 0 && (
        <Alert severity="warning">{t('rules.unverified')}</Alert>
      )}
      {missing.length > 0 && (
        <Alert
          severity="warning"
          data-testid="rules-missing"
          action={
            <Button
              color="inherit"
              size="small"
              disabled={working}
              onClick={() => void reapply(missing.map((r) => r.id))}
              data-testid="rules-reapply-all"
            >
              {t('rules.reapplyAll')}
            </Button>
          }
        >
          {t('rules.missingBanner', { count: missing.length })}
        </Alert>
      )}
      {error && <AppErrorAlert error={error} onClose={clearMessages} testId="firewall-error" />}
      {notice && (
        <Alert severity={notice.severity} onClose={clearMessages} data-testid="firewall-notice">
          {say(notice.text)}
        </Alert>
      )}
      {/* Wraps: at 320 CSS px (400 % zoom, WCAG 1.4.10) the French "Tout débloquer" does not fit
          beside the title and would make the page scroll sideways (review 15, F2). */}
      <Stack
        direction="row"
        spacing={1}
        useFlexGap
        sx={{ justifyContent: 'space-between', alignItems: 'center', flexWrap: 'wrap' }}
      >
        <Typography ref={heading} tabIndex={-1} variant="h2" component="h2" sx={{ fontSize: 20 }}>
          {t('rules.title', { count: rules.length })}
        </Typography>
        <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap' }}>
          <Button onClick={() => void load()} disabled={loading || working}>
            {t('rules.refresh')}
          </Button>
          <Button
            variant="outlined"
            color="warning"
            startIcon={<UndoIcon />}
            disabled={rules.length === 0 || working}
            onClick={() => setConfirmAll(true)}
            data-testid="rules-undo-all"
          >
            {t('rules.undoAll')}
          </Button>
        </Stack>
      </Stack>
      <Dialog
        open={confirmAll}
        onClose={() => setConfirmAll(false)}
        aria-labelledby="rules-confirm-title"
        aria-describedby="rules-confirm-body"
      >
        <DialogTitle id="rules-confirm-title">{t('rules.confirmTitle')}</DialogTitle>
        <DialogContent>
          <DialogContentText id="rules-confirm-body">
            {t('rules.confirmBody', { count: rules.length })}
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirmAll(false)} autoFocus>
            {t('rules.keep')}
          </Button>
          <Button
            color="warning"
            variant="contained"
            onClick={() => {
              setConfirmAll(false);
              void undoThenFocus('all');
            }}
            data-testid="rules-confirm-undo-all"
          >
            {t('rules.confirm')}
          </Button>
        </DialogActions>
      </Dialog>
      <Card>
        {rules.length === 0 ? (
          <Typography
            ref={emptyMessage}
            tabIndex={-1}
            sx={{ p: 2.5 }}
            color="text.secondary"
            data-testid="rules-empty"
          >
            {loading ? t('rules.loading') : t('rules.empty')}
          </Typography>
        ) : (
          // Its six columns do not fit 320 CSS px (400 % zoom): the table scrolls inside its own
          // box, as a data table may (WCAG 1.4.10), never the page (review 15, F2). Each row's
          // "Débloquer" is a stop inside it, so the keyboard reaches the hidden part.
          // Positioned: the hidden texts of its cells (absolute) are clipped with the table
          // instead of widening the page.
          <TableContainer sx={{ position: 'relative' }}>
            <Table size="small" aria-label={t('rules.tableLabel')}>
              <TableHead>
                <TableRow>
                  <TableCell>{t('rules.columns.port')}</TableCell>
                  <TableCell>{t('rules.columns.direction')}</TableCell>
                  <TableCell>{t('rules.columns.remote')}</TableCell>
                  <TableCell>{t('rules.columns.state')}</TableCell>
                  <TableCell>{t('rules.columns.created')}</TableCell>
                  <TableCell align="right">
                    <Box component="span" sx={VISUALLY_HIDDEN}>
                      {t('rules.columns.actions')}
                    </Box>
                  </TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {rules.map((rule) => (
                  <TableRow
                    key={rule.id}
                    data-testid={`rule-row-${rule.id}`}
                    data-port={rule.portFrom}
                  >
                    <TableCell sx={{ fontFamily: MONO_FONT, fontWeight: 600 }}>
                      {portText(rule)}/{rule.protocol.toUpperCase()}
                    </TableCell>
                    <TableCell>{t(`rules.dir.${rule.direction}`)}</TableCell>
                    <TableCell sx={{ fontFamily: MONO_FONT }}>
                      {rule.remote.length > 0 ? rule.remote.join(', ') : t('rules.anyRemote')}
                    </TableCell>
                    <TableCell>
                      {/* The words of the PDF and `port-auditor rules` (vocabulary ruleStateText). */}
                      <Tooltip
                        title={rule.origin === 'found' ? t('rules.foundHelp') : ''}
                        // The help describes the chip; its name stays the state's words.
                        describeChild
                      >
                        <Chip
                          size="small"
                          color={
                            rule.present === false
                              ? 'error'
                              : rule.state === 'active'
                                ? 'success'
                                : 'warning'
                          }
                          // A found rule's words are a sentence: wrapped, never cut by an ellipsis.
                          sx={{
                            height: 'auto',
                            '& .MuiChip-label': { whiteSpace: 'normal', py: 0.25 },
                          }}
                          label={say(ruleStateText(rule))}
                          {...(rule.origin === 'found' && rule.present !== false
                            ? { 'data-testid': `rule-found-${rule.id}` }
                            : {})}
                        />
                      </Tooltip>
                    </TableCell>
                    <TableCell data-testid="rule-created">
                      {rule.createdKnown === false
                        ? t('rules.createdUnknown', {
                            found: formatDateTime(
                              rule.createdAt,
                              i18n.language === 'fr' ? 'fr' : 'en',
                            ),
                          })
                        : formatDateTime(rule.createdAt, i18n.language === 'fr' ? 'fr' : 'en')}
                    </TableCell>
                    <TableCell align="right">
                      {rule.present === false && rule.origin !== 'found' && (
                        <Button
                          size="small"
                          disabled={working}
                          onClick={() => void reapply([rule.id])}
                          aria-label={t('rules.reapplyLabel', {
                            port: portText(rule),
                            protocol: rule.protocol.toUpperCase(),
                          })}
                          data-testid={`rule-reapply-${rule.id}`}
                          sx={{ mr: 1 }}
                        >
                          {busy.includes(rule.id) ? t('rules.reapplying') : t('rules.reapply')}
                        </Button>
                      )}
                      <Button
                        size="small"
                        startIcon={<UndoIcon />}
                        // The button being worked on keeps the focus it was pressed with (a disabled
                        // one would drop it to <body> until the list is read again): aria-disabled,
                        // and a press on it while busy does nothing.
                        disabled={working && !busy.includes(rule.id)}
                        aria-disabled={busy.includes(rule.id) || undefined}
                        onClick={() => {
                          if (!working) void undoThenFocus([rule.id]);
                        }}
                        aria-label={t('rules.undoLabel', {
                          port: portText(rule),
                          protocol: rule.protocol.toUpperCase(),
                        })}
                        data-testid={`rule-undo-${rule.id}`}
                      >
                        {busy.includes(rule.id) ? t('rules.undoing') : t('rules.undo')}
                      </Button>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        )}
      </Card>
    </Stack>
  );
}
