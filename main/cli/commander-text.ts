import { escapedArgument, escapedControls } from '../../app/contract/outside-words.js';
import {
  type Command,
  CommanderError,
  type Help,
  type HelpConfiguration,
  type Option,
} from 'commander';
import type { TFunction } from 'i18next';
import { suggestSimilar } from './suggest.js';

/**
 * Commander's help and usage errors in the user's language, through its public hooks rather than
 * by rewriting its English: a help formatter (configureHelp) whose titles and option notes come
 * from the `cli` catalogue, and an exit hook (exitOverride) on every command that records which
 * command failed, so the error's code (CommanderError.code) and that command's own options and
 * arguments give the message (see usageMessage).
 */
export function localizeCommander(program: Command, t: TFunction): void {
  const help: HelpConfiguration = {
    formatHelp: (cmd, helper) => formatHelp(cmd, helper, t),
    commandUsage: (cmd) => commandUsage(cmd, t),
    optionDescription: (option) => optionDescription(option, t),
    boxWrap: (text, width) => boxWrap(text, width),
  };
  const walk = (cmd: Command) => {
    cmd.configureHelp(help);
    // Suggestions are made again from the command's own names, in the user's language.
    cmd.showSuggestionAfterError(false);
    cmd.exitOverride((error) => {
      failedCommand.set(error, cmd);
      throw error;
    });
    cmd.commands.forEach(walk);
  };
  walk(program);
}

/** The command each usage error came from (set by localizeCommander's exit hook). */
const failedCommand = new WeakMap<CommanderError, Command>();

/** "port-auditor scan [options] <targets...>": the command's path, then what it takes. */
function commandUsage(cmd: Command, t: TFunction): string {
  const names: string[] = [];
  for (let c: Command | null = cmd.parent; c; c = c.parent) names.unshift(c.name());
  const parts = [...names, cmd.name()];
  if (cmd.options.length > 0 || cmd.commands.length > 0) parts.push(String(t('help.optionsWord')));
  if (cmd.commands.length > 0) parts.push(String(t('help.commandWord')));
  for (const argument of cmd.registeredArguments) {
    const name = `${argument.name()}${argument.variadic ? '...' : ''}`;
    parts.push(argument.required ? `<${name}>` : `[${name}]`);
  }
  return parts.join(' ');
}

/** The option's description with its default value and choices said in the user's language. */
function optionDescription(option: Option, t: TFunction): string {
  const extra: string[] = [];
  if (option.argChoices)
    extra.push(String(t('help.choices', { values: option.argChoices.join(', ') })));
  // As commander shows them: a default for an option that takes a value.
  if (option.defaultValue !== undefined && (option.required || option.optional)) {
    const value = option.defaultValueDescription ?? String(option.defaultValue);
    extra.push(String(t('help.default', { value })));
  }
  return extra.length > 0 ? `${option.description} (${extra.join(', ')})` : option.description;
}

/** Help lines narrower than this are not wrapped (as commander's Help.minWidthToWrap). */
const MIN_WIDTH_TO_WRAP = 40;

/**
 * `text` wrapped to `width` columns at ordinary spaces only: French keeps "Options :" and
 * « scan --json » whole through their no-break spaces, which commander's own wrap (\s) splits.
 */
function boxWrap(text: string, width: number): string {
  if (width < MIN_WIDTH_TO_WRAP) return text;
  return text
    .split(/\r?\n/)
    .map((line) => {
      const chunks = line.match(/[ \t]*[^ \t]+/g);
      if (!chunks) return '';
      const lines: string[] = [];
      let current = chunks.shift()!;
      for (const chunk of chunks) {
        if (current.length + chunk.length <= width) current += chunk;
        else {
          lines.push(current);
          current = chunk.trimStart();
        }
      }
      lines.push(current);
      return lines.join('\n');
    })
    .join('\n');
}

/** Commander's help layout (Help.formatHelp) with the section titles from the catalogue. */
function formatHelp(cmd: Command, helper: Help, t: TFunction): string {
  const termWidth = helper.padWidth(cmd, helper);
  const helpWidth = helper.helpWidth ?? 80;
  const item = (term: string, description: string) =>
    helper.formatItem(term, termWidth, description, helper);
  let output = [`${String(t('help.usage'))} ${helper.commandUsage(cmd)}`, ''];
  const description = helper.commandDescription(cmd);
  if (description.length > 0) output.push(helper.boxWrap(description, helpWidth), '');
  const section = (title: string, items: string[]) => {
    output = output.concat(helper.formatItemList(title, items, helper));
  };
  section(
    String(t('help.arguments')),
    helper
      .visibleArguments(cmd)
      .map((a) => item(helper.argumentTerm(a), helper.argumentDescription(a))),
  );
  section(
    String(t('help.options')),
    helper.visibleOptions(cmd).map((o) => item(helper.optionTerm(o), helper.optionDescription(o))),
  );
  section(
    String(t('help.commands')),
    helper
      .visibleCommands(cmd)
      .map((c) => item(helper.subcommandTerm(c), helper.subcommandDescription(c))),
  );
  return output.join('\n');
}

/** The option of `cmd` (or of a command above it) that `flag` names, if any. */
function findOption(cmd: Command, flag: string): Option | undefined {
  for (let c: Command | null = cmd; c; c = c.parent) {
    const found = c.options.find((o) => o.long === flag || o.short === flag);
    if (found) return found;
  }
  return undefined;
}

/** The long options a mistyped `--flag` may have meant: this command's and those above it. */
function longOptions(cmd: Command): string[] {
  const flags: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) {
    for (const o of c.createHelp().visibleOptions(c)) if (o.long) flags.push(o.long);
  }
  return flags;
}

/** " Did you mean …?" for `word` among `candidates`, or nothing when none is close. */
function didYouMean(word: string, candidates: string[], t: TFunction): string {
  const similar = suggestSimilar(word, candidates);
  if (similar.length === 0) return '';
  return ` ${String(
    similar.length === 1
      ? t('usage.didYouMean', { suggestion: similar[0] })
      : t('usage.didYouMeanOneOf', { suggestions: similar.join(', ') }),
  )}`;
}

/**
 * The usage error `error` said in the user's language, from its code and the command it came
 * from: "Invalid command line: unknown command “scna”. See port-auditor --help. Did you mean
 * scan?" `argv` is the command line as typed (a missing option value is always its last word).
 * Codes no command of port-auditor can raise (conflicting options, argument parsers) keep
 * commander's English detail inside the localized sentence.
 */
export function usageMessage(error: CommanderError, argv: readonly string[], t: TFunction): string {
  const cmd = failedCommand.get(error);
  const path = cmd
    ? commandUsage(cmd, t)
        .split(' ')
        .filter((w) => /^[\w-]+$/.test(w))
    : [];
  const helpText = `${(path.length > 0 ? path : ['port-auditor']).join(' ')} --help`;
  const say = (detail: string, hint = '') =>
    `${String(t('usage.invalid', { detail, help: helpText }))}${hint}`;
  if (!cmd) return say(escapedControls(error.message.replace(/^error:\s*/i, '')));
  switch (error.code) {
    case 'commander.unknownCommand': {
      const name = cmd.args[0] ?? '';
      const names = cmd.commands.flatMap((c) => [c.name(), ...c.aliases()]);
      return say(
        String(t('usage.unknownCommand', { name: escapedArgument(name) })),
        didYouMean(name, names, t),
      );
    }
    case 'commander.unknownOption': {
      // parseOptions puts the first unknown option first among the words it did not take.
      const flag =
        cmd.args.find(
          (word) => word.length > 1 && word.startsWith('-') && !findOption(cmd, word),
        ) ?? '';
      const hint = flag.startsWith('--')
        ? didYouMean(flag.split('=')[0]!, longOptions(cmd), t)
        : '';
      return say(String(t('usage.unknownOption', { flag: escapedArgument(flag) })), hint);
    }
    case 'commander.missingArgument': {
      const missing = cmd.registeredArguments.find((a, i) => a.required && cmd.args[i] == null);
      return say(String(t('usage.missingArgument', { name: missing?.name() ?? '' })));
    }
    case 'commander.optionMissingArgument': {
      const last = argv[argv.length - 1] ?? '';
      return say(
        String(
          t('usage.optionMissingArgument', {
            flag: findOption(cmd, last)?.flags ?? escapedArgument(last),
          }),
        ),
      );
    }
    case 'commander.missingMandatoryOptionValue': {
      const option = cmd.options.find(
        (o) => o.mandatory && cmd.getOptionValue(o.attributeName()) === undefined,
      );
      return say(String(t('usage.missingMandatoryOption', { flags: option?.flags ?? '' })));
    }
    case 'commander.excessArguments':
      return say(
        String(
          t('usage.excessArguments', {
            command: cmd.name(),
            count: cmd.registeredArguments.length,
            got: cmd.args.length,
          }),
        ),
      );
    default:
      // commander's detail holds the user's words (an invalid choice): on one line, escaped.
      return say(escapedControls(error.message.replace(/^error:\s*/i, '')));
  }
}
