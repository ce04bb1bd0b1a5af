import type { LocalizedText } from '../contract/errors.js';
import type { PortResult } from '../contract/scan.js';
import type { Language } from '../contract/app.js';
import { formatDateTime } from '../contract/datetime.js';
import { quoted } from '../contract/outside-words.js';
import { httpFactsText, tlsFactsText } from '../contract/service-text.js';
import { textFor } from '../text/catalogue.js';

/**
 * What the HTTP and TLS probes learnt about a port (issue 16), as the reports print it: one line
 * each in both languages (tlsFactsText, httpFactsText, the same words as the port's details on
 * the page), the server's words quoted in each language's marks. Empty when the port has none.
 */
export function serviceFactsInBoth(p: Pick<PortResult, 'tls' | 'http'>): {
  tls?: LocalizedText;
  http?: LocalizedText;
} {
  const both = (line: (language: Language) => string): LocalizedText => ({
    fr: line('fr'),
    en: line('en'),
  });
  const say = (language: Language) => {
    const t = textFor(language);
    return (key: string, params?: Record<string, string | number>) => t(key, params ?? {});
  };
  const tls = p.tls;
  const http = p.http;
  return {
    ...(tls
      ? {
          tls: both((language) =>
            tlsFactsText(
              tls,
              say(language),
              (words) => quoted(words, language),
              (iso) => formatDateTime(iso, language),
            ),
          ),
        }
      : {}),
    ...(http
      ? {
          http: both((language) =>
            httpFactsText(http, say(language), (words) => quoted(words, language)),
          ),
        }
      : {}),
  };
}
