import Accordion from '@mui/material/Accordion';
import AccordionDetails from '@mui/material/AccordionDetails';
import AccordionSummary from '@mui/material/AccordionSummary';
import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import { createContext, useContext, useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { PortAssessment } from '../../../app/contract/risk';
import type { PortServiceFacts } from '../../../app/contract/service-text';
import { programLabel, serviceLabel } from '../../../app/contract/vocabulary';
import { capped, OUTSIDE_WORDS_MAX } from '../../../app/contract/outside-words';
import { MONO_FONT } from '../../theme';
import { SeverityChip } from './SeverityChip';
import { FirewallCoverageChip } from '../firewall/FirewallCoverageChip';
import { FlaggedPortBlock } from '../firewall/FlaggedPortBlock';
import { verdictName } from './verdict-name';

/** Closed to every other device by a rule read in the firewall: its severity no longer counts. */
export function isMitigated(port: PortAssessment): boolean {
  return port.firewall?.effect === 'blocked' || port.firewall?.effect === 'loopback';
}

function pick(text: { fr: string; en: string }, language: string): string {
  return language.startsWith('fr') ? text.fr : text.en;
}

/** The heading levels a verdict's header can take: one below what it is listed under. */
export type VerdictLevel = 4 | 5;

/** What the verdict's heading slot draws: its level, and the lines shown under the button. */
const HeadingContext = createContext<{ level: VerdictLevel; after: ReactNode }>({
  level: 4,
  after: null,
});

/**
 * The Accordion's heading slot: the h4/h5 holding the header's button, then (outside the button,
 * still above the panel) the lines the short name leaves out. A button's visible words must all be
 * in its name (WCAG 2.5.3 Label in Name, axe label-content-name-mismatch): the headline sentence
 * cannot sit inside a button named "Critique, 23/TCP, telnet". A stable component reading a
 * context, so a new headline does not remount the button (and drop its focus).
 */
function VerdictHeading({ className, children }: { className?: string; children?: ReactNode }) {
  const { level, after } = useContext(HeadingContext);
  return (
    <>
      {/* `all: unset`, as MUI's own heading slot: the button alone sets the look. */}
      <Box component={`h${level}`} className={className} sx={{ all: 'unset' }}>
        {children}
      </Box>
      {after}
    </>
  );
}

/**
 * One open port's verdict: the chip and the essentials in one line, the why and what-to-do inside.
 * `addresses`: the device's addresses the service is open on, when the device has several.
 * `sayAddresses`: those addresses are also said in the line itself, not only in the details: for
 * a port two programs of the device hold on different addresses, where the port number alone does
 * not say which row is which (review 13, N7).
 * The header is a heading of `level` (default 4: under its device's h3; 5 under a device's
 * "only on these addresses" h4) named shortly ("Critique, 23/TCP, telnet, python3", verdictName),
 * its headline sentence and firewall chip given as the button's description; the panel's
 * own headings ("Pourquoi", "Que faire") are one level below (WCAG 1.3.1, issue 15 review F9).
 */
export function PortVerdict({
  address,
  zone,
  port,
  addresses,
  sayAddresses,
  product,
  facts,
  onOpen,
  level = 4,
}: {
  address: string;
  /** A link-local address's zone (HostResult.zone), for the block wizard and its rescan. */
  zone?: string;
  port: PortAssessment;
  addresses?: readonly string[];
  sayAddresses?: boolean;
  /** The software identified on the port (nmap -sV imports, our service detection). */
  product?: string;
  /** What the HTTP and TLS probes learnt, as lines of the reader's language. */
  facts?: PortServiceFacts;
  /** Called when the user opens the details (the card then keeps this verdict drawn). */
  onOpen?: () => void;
  /** The header's heading level, one below the heading the verdict is listed under. */
  level?: VerdictLevel;
}) {
  const { t, i18n } = useTranslation('risk');
  const lang = i18n.language;
  // One port can be drawn twice at once (a device's addresses, a kept scan beside a live one): an id
  // of React's own keeps each header's aria-controls pointing at its own panel.
  const id = `verdict-${useId().replace(/[^a-zA-Z0-9-]/g, '_')}`;
  // Open, the "Why" list starts with this same sentence: the line under the header leaves it out
  // then, so it is not read twice in a row (review 15, R5).
  const [open, setOpen] = useState(false);
  const headline = port.reasons[0] && !open ? pick(port.reasons[0].text, lang) : '';
  const mitigated = isMitigated(port);
  const language = lang.startsWith('fr') ? 'fr' : 'en';
  const name = verdictName(port, mitigated, (key, params) => t(key, params ?? {}), language);
  const coverage = port.firewall && port.firewall.effect !== 'loopback';
  const description = port.description ? pick(port.description, lang) : '';
  // What the short name leaves out, read after it: the firewall chip, what the service is, and
  // the headline sentence; drawn under the button, outside it (VerdictHeading).
  const showAddresses = Boolean(sayAddresses && addresses && addresses.length > 0);
  const describedBy = [
    coverage ? `${id}-coverage` : '',
    description || headline ? `${id}-about` : '',
    showAddresses ? `${id}-addresses` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const inside = `h${level + 1}` as 'h5' | 'h6';
  const after =
    coverage || description || headline || showAddresses ? (
      <Stack
        direction="row"
        spacing={1}
        useFlexGap
        sx={{ px: 2, pb: 1.5, mt: -0.5, alignItems: 'center', flexWrap: 'wrap' }}
      >
        {/* On 127.0.0.1 and ::1 the rule filters nothing (on purpose): no chip, the first
            reason says why. */}
        {coverage && (
          <Box
            component="span"
            id={`${id}-coverage`}
            sx={{ display: 'inline-flex', maxWidth: '100%' }}
          >
            <FirewallCoverageChip coverage={port.firewall!} />
          </Box>
        )}
        {showAddresses && (
          <Typography
            variant="body2"
            color="text.secondary"
            id={`${id}-addresses`}
            data-testid="verdict-addresses"
          >
            {t('port.onAddresses', { addresses: addresses!.join(', ') })}
          </Typography>
        )}
        <Typography
          variant="body2"
          color="text.secondary"
          id={`${id}-about`}
          sx={{ overflowWrap: 'anywhere' }}
        >
          {description && (
            <Typography component="span" variant="body2" data-testid="verdict-description">
              {description}
              {headline ? ' — ' : ''}
            </Typography>
          )}
          {headline && <span data-testid="verdict-headline">{headline}</span>}
        </Typography>
      </Stack>
    ) : null;
  return (
    <HeadingContext.Provider value={{ level, after }}>
      <Accordion
        disableGutters
        elevation={0}
        square
        data-testid={`verdict-${address}-${port.port}`}
        data-severity={port.severity}
        data-port={port.port}
        data-protocol={port.protocol}
        data-blocked={mitigated ? 'true' : undefined}
        // The details (reasons, advice, block button, facts) are drawn when opened, not kept folded
        // for each of a page's ports; the block wizard inside lives while they are open.
        // The panel's region is named after its port and address, not after its header's text:
        // two devices with the same port have the same header words, and two regions of one name
        // cannot be told apart in a screen reader's landmark list (axe landmark-unique, review N2).
        slots={{ heading: VerdictHeading }}
        slotProps={{
          transition: { unmountOnExit: true },
          region: {
            'aria-labelledby': undefined,
            'aria-label': t('port.detailsLabel', {
              port: port.port,
              protocol: port.protocol.toUpperCase(),
              address,
            }),
          },
        }}
        onChange={(_event, expanded) => {
          setOpen(expanded);
          if (expanded) onOpen?.();
        }}
        sx={{ borderTop: 1, borderColor: 'divider', '&::before': { display: 'none' } }}
      >
        <AccordionSummary
          expandIcon={<ExpandMoreIcon />}
          aria-controls={`${id}-details`}
          id={`${id}-summary`}
          aria-label={name}
          {...(describedBy ? { 'aria-describedby': describedBy } : {})}
        >
          <Box
            sx={{
              display: 'grid',
              gridTemplateColumns: { xs: 'auto 1fr', md: 'minmax(150px, 210px) 110px 1fr 1.2fr' },
              gap: { xs: 1, md: 2 },
              alignItems: 'center',
              width: '100%',
            }}
          >
            <Stack direction="row" spacing={0.5} sx={{ flexWrap: 'wrap', gap: 0.5 }}>
              <SeverityChip severity={port.severity} mitigated={mitigated} quiet />
            </Stack>
            {/* Spaces between the grid's cells (a grid draws none): the button's text read as
                words, "Critique 23/TCP telnet", as its name says them (axe label-content-name-
                mismatch joins the cells' text as written). */}{' '}
            <Typography sx={{ fontFamily: MONO_FONT, fontWeight: 600 }} data-testid="verdict-port">
              {port.port}/{port.protocol.toUpperCase()}
            </Typography>{' '}
            <Typography data-testid="verdict-service" sx={{ fontWeight: 500 }}>
              {serviceLabel(port.service, language, port.program?.pid)}
            </Typography>{' '}
            <Typography variant="body2" color="text.secondary" data-testid="verdict-program">
              {port.program
                ? programLabel(capped(port.program.name, OUTSIDE_WORDS_MAX.name), port.program.pid)
                : port.exposure
                  ? t('port.noProgram')
                  : ''}
            </Typography>
          </Box>
        </AccordionSummary>
        {/* No id here: MUI's region around the details takes the summary's aria-controls as its
          id (and role="region" labelled by the summary); the same id on both was each verdict's
          panel named twice (review N2). */}
        <AccordionDetails data-testid="verdict-details">
          <Stack spacing={2}>
            <Box>
              <Typography variant="subtitle2" component={inside}>
                {t('port.why')}
              </Typography>
              {/* A reason may quote a program's path, one long word: it wraps anywhere, as the
                  Executable field below does, rather than run past the panel's edge at 320 px
                  (WCAG 1.4.10, review 15, R2). */}
              <Box
                component="ul"
                sx={{ pl: 2.5, my: 0.5, overflowWrap: 'anywhere' }}
                data-testid="verdict-reasons"
              >
                {port.reasons.map((reason) => (
                  <Typography
                    component="li"
                    variant="body2"
                    key={reason.ruleId}
                    data-rule={reason.ruleId}
                  >
                    {pick(reason.text, lang)}
                  </Typography>
                ))}
              </Box>
            </Box>
            <Box>
              <Typography variant="subtitle2" component={inside}>
                {t('port.advice')}
              </Typography>
              <Typography variant="body2" data-testid="verdict-advice">
                {pick(port.advice, lang)}
              </Typography>
            </Box>
            <FlaggedPortBlock address={address} {...(zone ? { zone } : {})} port={port} />
            <Box
              sx={{ display: 'flex', flexWrap: 'wrap', columnGap: 4, rowGap: 1 }}
              data-testid="verdict-facts"
            >
              <Fact label={t('port.range')} value={t(`range.${port.range}`)} />
              <Fact label={t('port.category')} value={t(`category.${port.category}`)} />
              {port.exposure && (
                <Fact label={t('port.exposure')} value={t(`exposure.${port.exposure}`)} />
              )}
              {addresses && (
                <Fact label={t('port.reachableOn')} value={addresses.join(', ')} mono />
              )}
              {product && <Fact label={t('port.product')} value={product} />}
              {facts?.tls && <Fact label={t('port.tls')} value={facts.tls} />}
              {facts?.http && <Fact label={t('port.http')} value={facts.http} />}
              {port.program?.path && <Fact label={t('port.path')} value={port.program.path} mono />}
              {port.program?.services?.length ? (
                <Fact label={t('port.services')} value={port.program.services.join(', ')} mono />
              ) : null}
              {port.banner && <Fact label={t('port.banner')} value={port.banner} mono />}
            </Box>
            {port.references.length > 0 && (
              <Box>
                <Typography variant="subtitle2" component={inside}>
                  {t('port.references')}
                </Typography>
                <Box component="ul" sx={{ pl: 2.5, my: 0.5 }} data-testid="verdict-references">
                  {port.references.map((ref) => (
                    <Typography component="li" variant="body2" key={ref.label}>
                      {ref.url ? (
                        // A link alone on its line is a target of its own: at least 24×24 px
                        // (WCAG 2.2 2.5.8 Target Size (Minimum); issue 15, N4).
                        <Link
                          href={ref.url}
                          target="_blank"
                          rel="noreferrer noopener"
                          sx={{
                            display: 'inline-flex',
                            alignItems: 'center',
                            minHeight: 24,
                            minWidth: 24,
                          }}
                        >
                          {ref.label}
                        </Link>
                      ) : (
                        ref.label
                      )}
                    </Typography>
                  ))}
                </Box>
              </Box>
            )}
          </Stack>
        </AccordionDetails>
      </Accordion>
    </HeadingContext.Provider>
  );
}

function Fact({ label, value, mono }: { label: string; value: string; mono?: boolean }) {
  return (
    <Box>
      <Typography variant="caption" color="text.secondary" component="p">
        {label}
      </Typography>
      <Typography
        variant="body2"
        sx={mono ? { fontFamily: MONO_FONT, wordBreak: 'break-all' } : undefined}
      >
        {value}
      </Typography>
    </Box>
  );
}
