/**
 * How many ports one message of a kept scan carries, shared by the app (app/api/scan-history.ts,
 * the live scan's events) and the page (its "show the next ports" button): pure data, no import.
 */

/**
 * At most this many ports of one host in a `scan.get` page (open ones first): nmap -p- against a
 * tarpit lists 65,535 open ports, one message of tens of MB and as many table rows (review 13b A1).
 */
export const MAX_PORTS_PER_HOST_PAGE = 200;
/**
 * At most this many ports in one `scan.get` page, all its hosts together: 50 hosts of a tarpit
 * /24 (nmap -p- against a subnet a middlebox answers for) would otherwise be 50 × 200 ports in one
 * message and 10,000 table rows; the hosts past it get their ports cut as by the per-host cap (the
 * rest through `scan.hostPorts`). See also app/api/limits.ts.
 */
export const MAX_PORTS_PER_PAGE = 2000;
