import type { BlockRequest, LocalizedText } from '../contract/index.js';

function ports(request: BlockRequest): LocalizedText {
  const proto = request.protocol.toUpperCase();
  if (request.portFrom === request.portTo) {
    return {
      fr: `au port ${request.portFrom} (${proto})`,
      en: `to port ${request.portFrom} (${proto})`,
    };
  }
  return {
    fr: `aux ports ${request.portFrom} à ${request.portTo} (${proto})`,
    en: `to ports ${request.portFrom} to ${request.portTo} (${proto})`,
  };
}

function list(addresses: string[], lang: 'fr' | 'en'): string {
  if (addresses.length <= 1) return addresses.join('');
  const and = lang === 'fr' ? ' et ' : ' and ';
  return `${addresses.slice(0, -1).join(', ')}${and}${addresses.at(-1)}`;
}

/**
 * What a block does, in one sentence a non-expert can act on, shown before anything technical
 * (wizard, `block --dry-run`). Inbound: other devices can no longer open a connection to this
 * PC's port; this PC's own connections keep working (the rule only stops new incoming ones).
 * Outbound: this PC can no longer open one to the device's port, which stays open for everyone else.
 */
export function changeSummary(request: BlockRequest): LocalizedText {
  const p = ports(request);
  const who = request.remote;
  if (request.direction === 'in') {
    if (who.length === 0) {
      return {
        fr: `Les autres appareils ne pourront plus se connecter ${p.fr} de ce PC. Ce PC lui-même n’est pas affecté.`,
        en: `Other devices will no longer be able to connect ${p.en} of this PC. This PC itself is not affected.`,
      };
    }
    return {
      fr: `${list(who, 'fr')} ne ${who.length > 1 ? 'pourront' : 'pourra'} plus se connecter ${p.fr} de ce PC. Les autres appareils et ce PC lui-même ne sont pas affectés.`,
      en: `${list(who, 'en')} will no longer be able to connect ${p.en} of this PC. Other devices and this PC itself are not affected.`,
    };
  }
  if (who.length === 0) {
    return {
      fr: `Ce PC ne pourra plus se connecter ${p.fr} d’aucun appareil. Cela ne ferme ce port sur aucun appareil : les autres appareils pourront toujours s’y connecter.`,
      en: `This PC will no longer be able to connect ${p.en} of any device. This closes the port on no device: other devices can still connect to it.`,
    };
  }
  return {
    fr: `Ce PC ne pourra plus se connecter ${p.fr} de ${list(who, 'fr')}. Cela ne ferme pas ce port sur l’appareil : les autres appareils pourront toujours s’y connecter.`,
    en: `This PC will no longer be able to connect ${p.en} of ${list(who, 'en')}. This does not close the port on the device: other devices can still connect to it.`,
  };
}
