import type { ErrorCode } from '../../app/contract/error-codes.js';
import type { AppError } from '../../app/contract/errors.js';
import type { ConnectionState } from './create-api.js';

/** A failed call, carrying the app's AppError so the UI can show it in either language. */
export class ApiError extends Error {
  readonly appError: AppError;
  constructor(appError: AppError) {
    super(appError.message.en);
    this.name = 'ApiError';
    this.appError = appError;
  }
}

export function connectionLostError(): AppError {
  return {
    code: 'connection.lost' satisfies ErrorCode,
    message: {
      fr: 'La connexion avec l’application a été perdue. Nouvelle tentative en cours…',
      en: 'The connection to the application was lost. Reconnecting…',
    },
  };
}

/** What a request gets when the transport is in `state` (anything but open or connecting). */
export function connectionError(state: ConnectionState): AppError {
  switch (state) {
    case 'stopped':
      return {
        code: 'connection.stopped' satisfies ErrorCode,
        message: {
          fr: 'Port Auditor s’est arrêté : relancez-le.',
          en: 'Port Auditor has stopped: start it again.',
        },
      };
    case 'token-used':
      return {
        code: 'session.token-used' satisfies ErrorCode,
        message: {
          fr: 'Cette adresse de Port Auditor a déjà servi à un autre onglet ou programme : accès refusé.',
          en: 'This Port Auditor address was already used by another tab or program: access refused.',
        },
      };
    case 'refused':
      return {
        code: 'session.refused' satisfies ErrorCode,
        message: {
          fr: 'Accès refusé : ouvrez l’adresse que Port Auditor affiche à son démarrage.',
          en: 'Access refused: open the address Port Auditor prints when it starts.',
        },
      };
    default:
      return connectionLostError();
  }
}

/** Anything caught in the UI becomes an AppError, so every failure is shown the same way. */
export function asAppError(error: unknown): AppError {
  if (error instanceof ApiError) return error.appError;
  // decodeXmlBytes' XmlEncodingError carries its AppError too; matched by shape so the renderer imports no contract runtime here.
  if (hasAppError(error)) return error.appError;
  const detail = error instanceof Error ? error.message : String(error);
  return {
    code: 'renderer.unexpected' satisfies ErrorCode,
    message: {
      fr: `Erreur inattendue dans l’interface : ${detail}`,
      en: `Unexpected error in the interface: ${detail}`,
    },
  };
}

function hasAppError(error: unknown): error is { appError: AppError } {
  if (typeof error !== 'object' || error === null || !('appError' in error)) return false;
  const appError = (error as { appError: unknown }).appError;
  return (
    typeof appError === 'object' &&
    appError !== null &&
    typeof (appError as { code?: unknown }).code === 'string'
  );
}
