import pkg from '../package.json' with { type: 'json' };

/**
 * The product's name and version, read once from package.json (bundled into each build), so the
 * About box, the CLI's --version, the PDF, the JSON and nmap XML exports and Electron all say the
 * same thing. Every module that needs them imports this one, never app/api.
 */
export const APP_NAME = 'Port Auditor';

/** package.json's `version` (semver text, e.g. "0.1.0"). */
export const APP_VERSION: string = pkg.version;
