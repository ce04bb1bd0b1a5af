import type { TFunction } from 'i18next';
import { COMMON_UDP_SET, withCommonUdp } from '../../../app/contract/port-spec.js';

/** The time left in words, rounded the way a person would say it. */
export function etaText(t: TFunction, etaMs: number | undefined): string {
  if (etaMs === undefined) return t('scan:eta.estimating');
  const seconds = Math.round(etaMs / 1000);
  if (seconds < 5) return t('scan:eta.fewSeconds');
  if (seconds < 60)
    return t('scan:eta.seconds', { count: seconds < 20 ? seconds : Math.round(seconds / 5) * 5 });
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return t('scan:eta.minutes', { count: minutes });
  return t('scan:eta.hours', { hours: Math.floor(minutes / 60), minutes: minutes % 60 });
}

export function durationText(t: TFunction, ms: number, language: string): string {
  const totalSeconds = Math.max(0, ms) / 1000;
  if (totalSeconds < 60) {
    const seconds = new Intl.NumberFormat(language, { maximumFractionDigits: 1 }).format(
      totalSeconds,
    );
    return t('scan:summary.durationSeconds', { seconds });
  }
  const rounded = Math.round(totalSeconds);
  return t('scan:summary.durationMinutes', {
    minutes: Math.floor(rounded / 60),
    seconds: rounded % 60,
  });
}

export function formatNumber(value: number, language: string): string {
  return new Intl.NumberFormat(language).format(value);
}

export function percentOf(done: number, total: number): number {
  if (total <= 0) return 0;
  return Math.min(100, Math.floor((done / total) * 100));
}

/**
 * A scan's targets as the form names them: `this-pc` and `local-network` (the app's tokens) read
 * "Ce PC" and "Réseau local"; addresses, ranges and names as typed.
 */
export function targetsText(t: TFunction, targets: string): string {
  const words: Record<string, string> = {
    'this-pc': t('scan:form.targets.thisPc'),
    'local-network': t('scan:form.targets.localNetwork'),
  };
  return targets
    .split(/(\s*,\s*|\s+)/)
    .map((part) => words[part.toLowerCase()] ?? part)
    .join('');
}

/**
 * A scan's ports as the form names them: `top1000`, all ports and the common UDP services in
 * words (`top1000,common-udp` → "Les 1 000 ports les plus utilisés + Services UDP courants"), a
 * list as typed.
 */
export function portsText(t: TFunction, ports: string): string {
  const tokens = ports.split(',').map((p) => p.trim());
  if (tokens.length > 1 && tokens.some((p) => p.toLowerCase() === COMMON_UDP_SET)) {
    return `${portsText(t, withCommonUdp(ports, false))} + ${t('scan:form.ports.commonUdp')}`;
  }
  if (ports.toLowerCase() === COMMON_UDP_SET) return t('scan:form.ports.commonUdp');
  if (ports === 'top1000') return t('scan:form.ports.top1000Help');
  if (ports === 'all' || ports === '1-65535') return t('scan:form.ports.all');
  return ports;
}
