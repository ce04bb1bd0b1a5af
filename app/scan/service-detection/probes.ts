import type { PortResult } from '../../contract/scan.js';
import { HTTP_PORTS, httpDetected, probeHttp } from './http.js';
import { TLS_PORTS, probeTls } from './tls.js';

/**
 * The service probes that open a connection of their own (issue 16), as the engine calls them:
 * which one a port gets, and the network-backed implementation the worker gives the engine.
 */

/** What a service probe learnt about a port (the PortResult fields it fills). */
export interface ServiceFacts {
  detected?: PortResult['detected'];
  http?: PortResult['http'];
  tls?: PortResult['tls'];
}

/** Where a probe goes: the address as results name it, as sockets reach it, the port, a name. */
export interface ServiceTarget {
  address: string;
  connectAddress: string;
  port: number;
  /** The host's name, when one is known (typed or PTR): the TLS probe's SNI. */
  name: string | undefined;
}

/** A probe: starts, calls `done` once within `timeoutMs`, returns a function that stops it. */
export type ServiceProbe = (
  target: ServiceTarget,
  timeoutMs: number,
  done: (facts: ServiceFacts) => void,
) => () => void;

export interface ServiceProbes {
  http: ServiceProbe;
  tls: ServiceProbe;
}

/**
 * The probe an open port gets after its banner read: `tls` on a TLS port (443, 8443) whose service
 * said nothing; `http` on a web port (80, 8000, 8008, 8080, 8888) that said nothing, or on any
 * port whose banner is an HTTP answer; none otherwise (a service that spoke named itself). Pure.
 */
export function serviceProbeFor(
  port: number,
  banner: string | undefined,
): keyof ServiceProbes | undefined {
  if (banner === undefined) {
    if (TLS_PORTS.has(port)) return 'tls';
    if (HTTP_PORTS.has(port)) return 'http';
    return undefined;
  }
  // An HTTP status line, as app/risk/banners.ts recognises it.
  return /^HTTP\/\d/.test(banner) ? 'http' : undefined;
}

/** The probes over the network: node:net and node:tls sockets. */
export const networkServiceProbes: ServiceProbes = {
  http: (target, timeoutMs, done) =>
    probeHttp(target.address, target.connectAddress, target.port, { timeoutMs }, (http) => {
      if (!http) return done({});
      const detected = httpDetected(http);
      done({ http, ...(detected ? { detected } : {}) });
    }),
  tls: (target, timeoutMs, done) =>
    probeTls(
      target.address,
      target.connectAddress,
      target.port,
      target.name,
      { timeoutMs },
      ({ tls, http }) => {
        const detected = http ? httpDetected(http, 'https') : undefined;
        done({
          ...(tls ? { tls } : {}),
          ...(http ? { http } : {}),
          ...(detected ? { detected } : {}),
        });
      },
    ),
};
