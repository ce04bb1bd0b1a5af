import type { PortAssessment } from '../../../app/contract/risk.js';
import type { Language } from '../../../app/contract/app.js';
import { programLabel, serviceLabel } from '../../../app/contract/vocabulary.js';
import { capped, OUTSIDE_WORDS_MAX } from '../../../app/contract/outside-words.js';

/** The catalogue's translate function, as much of it as a verdict's name needs. */
export type Say = (key: string, params?: Record<string, string | number>) => string;

/**
 * A port verdict's heading name, short enough to be read in a screen reader's heading list
 * (WCAG 2.4.6, issue 15 review F9): "Critique, 23/TCP, telnet, python3" — its level (with
 * ", risque atténué" when a rule closes the port), port/protocol, service and the program's name
 * (no PID, capped as the page caps it; "Programme inconnu" where the page says so, nothing when the
 * page shows no program). Every word comes from the catalogue (`risk:port.heading*`,
 * `vocabulary:severity.*`), in the reader's `language`; the headline sentence is not part of it
 * (the verdict gives it as the heading's description).
 */
export function verdictName(
  port: PortAssessment,
  mitigated: boolean,
  say: Say,
  language: Language,
): string {
  // The words the button shows, in its order, then what it shows only by its outline: axe's
  // label-content-name-mismatch wants the visible words as one run inside the name (WCAG 2.5.3).
  const level = say(`vocabulary:severity.${port.severity}`);
  const program = port.program
    ? programLabel(capped(port.program.name, OUTSIDE_WORDS_MAX.name), port.program.pid)
    : port.exposure
      ? say('risk:port.noProgram')
      : '';
  const params = {
    level,
    port: port.port,
    protocol: port.protocol.toUpperCase(),
    service: serviceLabel(port.service, language, port.program?.pid),
    program,
  };
  const name = program
    ? say('risk:port.heading', params)
    : say('risk:port.headingNoProgram', params);
  return mitigated ? name + say('risk:severity.mitigatedSuffix') : name;
}
