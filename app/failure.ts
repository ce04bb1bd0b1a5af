import type { ErrorCode } from './contract/error-codes.js';
import type { AppError, LocalizedText } from './contract/errors.js';
import { sentence, type Sentence, type SentenceValue } from './text/sentence.js';

/**
 * The values a failure's sentence is written with, also sent as `AppError.params`. Numbers are
 * formatted by the catalogue in the reader's language (`{{count, number}}`: "262 144",
 * "262,144"), so they travel as numbers, never as pre-formatted text.
 */
export type MessageParams = NonNullable<AppError['params']>;

/**
 * Which sentence of a failure to write, and with what else than its params: `variant` picks one
 * of the sentences of a code that has several (errors.json `<code>.<variant>`); `text` adds values
 * the sentence names but that do not travel as `AppError.params` (a list of interfaces, a hint,
 * a part of the sentence that is itself a catalogue sentence).
 */
export interface MessageOptions {
  variant?: string;
  text?: Record<string, SentenceValue>;
}

/** Whether `value` is a sentence already written in both languages (`{ fr, en }`). */
export function isLocalizedText(value: unknown): value is LocalizedText {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as LocalizedText).fr === 'string' &&
    typeof (value as LocalizedText).en === 'string'
  );
}

/**
 * The catalogue sentence of failure `code`: namespace `errors`, key the code itself
 * ("scan.targets.tooMany") or, for a code with several sentences, `<code>.<variant>`
 * ("scan.targets.invalid.reversed"); written with the params and the extra `text` values.
 */
export function failureSentence(
  code: string,
  params?: MessageParams,
  options: MessageOptions = {},
): Sentence {
  const key = `errors:${options.variant ? `${code}.${options.variant}` : code}`;
  const values = { ...params, ...options.text };
  return sentence(key, Object.keys(values).length > 0 ? values : undefined);
}

/** Writes a deferred sentence in both languages; installed by app/errors.ts (the catalogue). */
type SentenceWriter = (sentence: Sentence) => LocalizedText;
let writer: SentenceWriter | null = null;

/**
 * Lets failures be written in words: called once by app/errors.ts, the app side's module of
 * failures, which holds the catalogue. The elevated helper never loads it (it sends codes and
 * values, see app/firewall/helper-protocol.ts), which keeps i18next and the catalogue out of it.
 */
export function setFailureWriter(write: SentenceWriter): void {
  writer = write;
}

/**
 * A failure the user should read. Thrown anywhere in app/, turned into an AppError at the contract
 * boundary (toAppError in app/errors.ts); anything else thrown becomes `internal` so no stack
 * trace reaches the UI.
 *
 * `new AppFailure(code, params?, { variant?, text? })` names its sentence in the catalogue (see
 * failureSentence) without writing it: the words are written only where the failure is shown
 * (`appError`, `message`), through the catalogue app/errors.ts installs, so code shared with the
 * elevated helper imports no catalogue. The older `new AppFailure(code, { fr, en }, params?)`
 * form, a sentence written in place, remains only for the call sites not yet moved to the
 * catalogue (issue 15; the unit test one-catalogue.test.ts counts them) and for sentences another
 * process already wrote.
 */
export class AppFailure extends Error {
  readonly code: ErrorCode;
  readonly params: MessageParams | undefined;
  /** The catalogue sentence; null for a sentence written in place (`written`). */
  readonly sentence: Sentence | null;
  /** A sentence written in place or by another process; null for a catalogue one. */
  readonly written: LocalizedText | null;
  /** Which sentence of the code (errors.json `<code>.<variant>`), when it has several. */
  readonly variant: string | undefined;
  /** The values the sentence names beyond `params` (see MessageOptions.text). */
  readonly text: Record<string, SentenceValue> | undefined;
  private relayed: AppError | null = null;

  constructor(code: ErrorCode, params?: MessageParams, options?: MessageOptions);
  constructor(code: ErrorCode, message: LocalizedText, params?: MessageParams);
  constructor(
    code: ErrorCode,
    messageOrParams?: LocalizedText | MessageParams,
    paramsOrOptions?: MessageParams | MessageOptions,
  ) {
    super();
    this.name = 'AppFailure';
    this.code = code;
    if (isLocalizedText(messageOrParams)) {
      this.params = paramsOrOptions as MessageParams | undefined;
      this.written = messageOrParams;
      this.sentence = null;
    } else {
      const options = (paramsOrOptions ?? {}) as MessageOptions;
      this.params = messageOrParams;
      this.variant = options.variant;
      this.text = options.text;
      this.written = null;
      this.sentence = failureSentence(code, messageOrParams, options);
    }
  }

  /**
   * The failure as the contract sends it, its sentence written in both languages. Throws when
   * nothing installed the catalogue's writer in this process (the elevated helper, which sends
   * codes, see helper-protocol.ts): a sentence is never replaced by its key unnoticed.
   */
  get appError(): AppError {
    if (this.relayed) return this.relayed;
    let message = this.written;
    if (!message) {
      if (!writer) {
        throw new Error(`no catalogue in this process to write failure ${this.code}`);
      }
      message = writer(this.sentence as Sentence);
    }
    return { code: this.code, message, ...(this.params ? { params: this.params } : {}) };
  }

  /** The English sentence when the catalogue is loaded (logs, stack traces), else the code. */
  override get message(): string {
    if (this.relayed) return this.relayed.message.en;
    if (this.written) return this.written.en;
    return writer ? writer(this.sentence as Sentence).en : this.code;
  }

  /**
   * A failure another part of the app already reported as an AppError (a scan worker's `failed`
   * event, an import thread's refusal), thrown on unchanged: its code is the reporter's.
   */
  static relay(error: AppError): AppFailure {
    const failure = new AppFailure('internal', error.message, error.params);
    failure.relayed = error;
    // The reporter's code, which for a process of another version may be one this one does not list.
    (failure as { code: string }).code = error.code;
    return failure;
  }
}

/** Throws `new AppFailure(…)` with the same arguments (see AppFailure). */
export function fail(code: ErrorCode, params?: MessageParams, options?: MessageOptions): never;
export function fail(code: ErrorCode, message: LocalizedText, params?: MessageParams): never;
export function fail(
  code: ErrorCode,
  messageOrParams?: LocalizedText | MessageParams,
  paramsOrOptions?: MessageParams | MessageOptions,
): never {
  throw isLocalizedText(messageOrParams)
    ? new AppFailure(code, messageOrParams, paramsOrOptions as MessageParams | undefined)
    : new AppFailure(code, messageOrParams, paramsOrOptions as MessageOptions | undefined);
}
