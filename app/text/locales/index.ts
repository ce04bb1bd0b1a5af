import type { Language } from '../../contract/app.js';
import frCli from './fr/cli.json' with { type: 'json' };
import frCommon from './fr/common.json' with { type: 'json' };
import frErrors from './fr/errors.json' with { type: 'json' };
import frFirewall from './fr/firewall.json' with { type: 'json' };
import frMessages from './fr/messages.json' with { type: 'json' };
import frHistory from './fr/history.json' with { type: 'json' };
import frPdf from './fr/pdf.json' with { type: 'json' };
import frReport from './fr/report.json' with { type: 'json' };
import frRisk from './fr/risk.json' with { type: 'json' };
import frScan from './fr/scan.json' with { type: 'json' };
import frSettings from './fr/settings.json' with { type: 'json' };
import enCli from './en/cli.json' with { type: 'json' };
import frVocabulary from './fr/vocabulary.json' with { type: 'json' };
import enCommon from './en/common.json' with { type: 'json' };
import enErrors from './en/errors.json' with { type: 'json' };
import enFirewall from './en/firewall.json' with { type: 'json' };
import enMessages from './en/messages.json' with { type: 'json' };
import enHistory from './en/history.json' with { type: 'json' };
import enPdf from './en/pdf.json' with { type: 'json' };
import enReport from './en/report.json' with { type: 'json' };
import enRisk from './en/risk.json' with { type: 'json' };
import enScan from './en/scan.json' with { type: 'json' };
import enSettings from './en/settings.json' with { type: 'json' };
import enVocabulary from './en/vocabulary.json' with { type: 'json' };

/**
 * The one text catalogue of the product: every user-visible string of the page, the CLI, the PDF,
 * the exports and the app's messages, per language and per domain (namespace), as i18next reads
 * them (`key_one` / `key_other` plural forms chosen by Intl.PluralRules; `{{n, number}}`
 * formatted by Intl.NumberFormat). A new domain adds its two JSON files here and in NAMESPACES.
 */
export const NAMESPACES = [
  'cli',
  'common',
  'errors',
  'firewall',
  'history',
  'messages',
  'pdf',
  'report',
  'risk',
  'scan',
  'settings',
  'vocabulary',
] as const;
export type Namespace = (typeof NAMESPACES)[number];

/** Namespace → its tree of keys and strings, for one language. */
export type LanguageResources = Record<Namespace, Record<string, unknown>>;

export const CATALOGUE: Record<Language, LanguageResources> = {
  fr: {
    cli: frCli,
    common: frCommon,
    errors: frErrors,
    firewall: frFirewall,
    history: frHistory,
    messages: frMessages,
    pdf: frPdf,
    report: frReport,
    risk: frRisk,
    scan: frScan,
    settings: frSettings,
    vocabulary: frVocabulary,
  },
  en: {
    cli: enCli,
    common: enCommon,
    errors: enErrors,
    firewall: enFirewall,
    history: enHistory,
    messages: enMessages,
    pdf: enPdf,
    report: enReport,
    risk: enRisk,
    scan: enScan,
    settings: enSettings,
    vocabulary: enVocabulary,
  },
};
