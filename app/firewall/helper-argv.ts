import { AppFailure } from '../failure.js';
import { portText, validatePlannedRule, type PlannedRule } from './request.js';

/**
 * What crosses the privilege boundary: the operations of one approved change, as the elevated
 * helper's own command line. pkexec shows this command line in its prompt (polkit's
 * `$(command_line)`), and on Windows it is the argument string UAC starts the helper with, so what
 * the user approves is exactly what runs: no request file, nothing a user process could swap.
 *
 * Grammar (one or more operations, each introduced by its verb):
 *   block   --id UUID --proto tcp|udp --port N[-M] --dir in|out [--remote A[,B…]]
 *   unblock --id UUID --proto tcp|udp --port N[-M] --dir in|out [--remote A[,B…]]
 *   reapply --id UUID --proto tcp|udp --port N[-M] --dir in|out [--remote A[,B…]]
 *   list
 *   restore     (re-apply the rules recorded in root's state file: what the boot unit runs)
 * `unblock` names what the rule blocks, so the prompt says it and the helper removes the rule only
 * if the firewall holds it with exactly that content. `reapply` puts back a rule the firewall lost
 * only if root's state file records it with that id and exactly that content (the app's journal,
 * a file of the user's, cannot make root add a rule). The read-only helper (polkit action
 * org.portauditor.firewall.read) is started with `--read-only` first and accepts only `list`.
 */
export type HelperOp =
  | { op: 'block'; rule: PlannedRule }
  | { op: 'unblock'; rule: PlannedRule }
  | { op: 'reapply'; rule: PlannedRule }
  | { op: 'list' }
  | { op: 'restore' };

/** At most this many operations in one elevated run (Windows caps a command line at 32,767 chars). */
export const MAX_HELPER_OPS = 200;
export const READ_ONLY_FLAG = '--read-only';

const VERBS = new Set(['block', 'unblock', 'reapply', 'list', 'restore']);
const FLAGS = new Map([
  ['--id', 'id'],
  ['--proto', 'protocol'],
  ['--port', 'port'],
  ['--dir', 'direction'],
  ['--remote', 'remote'],
] as const);

function ruleArgv(rule: PlannedRule): string[] {
  return [
    '--id',
    rule.id,
    '--proto',
    rule.protocol,
    '--port',
    portText(rule),
    '--dir',
    rule.direction,
    ...(rule.remote.length > 0 ? ['--remote', rule.remote.join(',')] : []),
  ];
}

/** The helper's arguments for these operations (program path not included). */
export function opsToArgv(ops: readonly HelperOp[]): string[] {
  return ops.flatMap((op) =>
    op.op === 'list' || op.op === 'restore' ? [op.op] : [op.op, ...ruleArgv(op.rule)],
  );
}

function badArgv(detail: string): AppFailure {
  return new AppFailure('firewall.helper-bad-request', { detail });
}

export interface ParsedHelperArgv {
  readOnly: boolean;
  ops: HelperOp[];
}

/**
 * Parses and validates the helper's command line; every value goes through the same validation as
 * a request typed in the UI (validatePlannedRule). Throws AppFailure `firewall.helper-bad-request`
 * (or the field's own `firewall.invalid-*` code) on anything else: unknown words, repeated or
 * missing options, values that look like options, too many operations, a change in read-only mode.
 */
export function parseHelperArgv(argv: readonly string[]): ParsedHelperArgv {
  const readOnly = argv[0] === READ_ONLY_FLAG;
  const tokens = readOnly ? argv.slice(1) : [...argv];
  const ops: HelperOp[] = [];
  let i = 0;
  while (i < tokens.length) {
    const verb = tokens[i++] as string;
    if (!VERBS.has(verb)) throw badArgv(`unexpected “${verb.slice(0, 40)}”`);
    if (ops.length >= MAX_HELPER_OPS) throw badArgv(`more than ${MAX_HELPER_OPS} operations`);
    if (verb === 'list') {
      ops.push({ op: 'list' });
      continue;
    }
    if (readOnly) throw badArgv(`${verb} in read-only mode`);
    if (verb === 'restore') {
      ops.push({ op: 'restore' });
      continue;
    }
    const fields: Record<string, string> = {};
    while (i < tokens.length && !VERBS.has(tokens[i] as string)) {
      const flag = tokens[i++] as string;
      const key = FLAGS.get(flag as never);
      const value = tokens[i++];
      if (!key) throw badArgv(`unknown option “${flag.slice(0, 40)}”`);
      if (key in fields) throw badArgv(`${flag} given twice`);
      if (value === undefined || value === '' || value.startsWith('--')) {
        throw badArgv(`${flag} without a value`);
      }
      fields[key] = value;
    }
    for (const [flag, key] of FLAGS) {
      if (key !== 'remote' && !(key in fields)) throw badArgv(`${verb} without ${flag}`);
    }
    const [from, to] = (fields.port ?? '').split('-');
    const rule = validatePlannedRule({
      id: fields.id,
      name: `PortAuditor-${fields.id ?? ''}`,
      protocol: fields.protocol,
      portFrom: Number(from),
      portTo: Number(to ?? from),
      direction: fields.direction,
      remote: fields.remote === undefined ? [] : fields.remote.split(','),
    });
    // Values must be in the canonical form the app writes, so the command line shown in the prompt
    // is the rule that runs: "0080" cannot pass for 80, nor "10.0.0.5/24" for 10.0.0.0/24.
    if (portText(rule) !== fields.port) throw badArgv(`--port ${fields.port?.slice(0, 20)}`);
    if (rule.protocol !== fields.protocol)
      throw badArgv(`--proto ${fields.protocol?.slice(0, 20)}`);
    if (rule.direction !== fields.direction)
      throw badArgv(`--dir ${fields.direction?.slice(0, 20)}`);
    if (fields.remote !== undefined && rule.remote.join(',') !== fields.remote) {
      throw badArgv(`--remote ${fields.remote.slice(0, 40)}`);
    }
    ops.push({ op: verb as 'block' | 'unblock' | 'reapply', rule });
  }
  if (ops.length === 0) throw badArgv('no operation');
  return { readOnly, ops };
}
