import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session } from 'electron';
import { systemLanguage } from '../../app/api/app-handlers.js';
import { APP_NAME, APP_VERSION } from '../../app/identity.js';
import { createCore, type Core } from '../../app/api/core.js';
import { MessageRate, rateLimited } from '../../app/api/limits.js';
import {
  IPC_EVENT_CHANNEL,
  IPC_REQUEST_CHANNEL,
  MAX_MESSAGE_BYTES,
  type Language,
  type ResponseEnvelope,
} from '../../app/contract/index.js';
import { AppFailure } from '../../app/errors.js';
import { helperArgsFromAppArgv } from '../../app/firewall/elevation.js';
import { runFirewallHelper } from '../helper/run.js';
import { mimeType } from '../web/security.js';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  electronContentSecurityPolicy,
  isAllowedNavigation,
  isTrustedSender,
  menuTemplate,
  refusesLaunchArgs,
  resolveAppFile,
} from './policy.js';
import { createDialogPicker, UserGestures } from './open-dialog.js';
import { isAppDownload, reportSaveDialogOptions } from './save-dialog.js';
import { aboutBoxOptions } from './about.js';

// Bundled as dist/main/electron-main.mjs: the preload and the renderer sit beside it.
const here = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.join(here, '..', 'renderer');
const preloadPath = path.join(here, 'preload.cjs');

// Must run before `ready`: a standard, secure scheme gets a real origin (app://port-auditor).
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

let mainWindow: BrowserWindow | null = null;
let core: Core | null = null;
// Clicks and key presses the OS sent to each window: the open dialog needs one (open-dialog.ts).
const gestures = new UserGestures();

/** The contract's client name of a window's page, as serveContract names it. */
function clientOf(contentsId: number): string {
  return `electron-${contentsId}`;
}

function language(): Language {
  const locale = app.getLocale() || '';
  return locale ? (locale.toLowerCase().startsWith('fr') ? 'fr' : 'en') : systemLanguage();
}

function refused(id: number, failure: AppFailure): ResponseEnvelope {
  return { kind: 'response', id, ok: false, error: failure.appError };
}

function messageId(message: unknown): number {
  const id = (message as { id?: unknown } | null)?.id;
  return typeof id === 'number' ? id : -1;
}

function serveRenderer(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(rendererDir, request.url);
    const body = file ? await readFile(file).catch(() => null) : null;
    if (!file || !body) return new Response('Not found', { status: 404 });
    return new Response(new Uint8Array(body), {
      headers: {
        'Content-Type': mimeType(file),
        'Content-Security-Policy': electronContentSecurityPolicy(),
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
      },
    });
  });
  // Belt and braces: every response in the app's session carries the CSP, whatever served it.
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [electronContentSecurityPolicy()],
      },
    });
  });
  // The app needs no camera, notifications, geolocation…
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false),
  );
  session.defaultSession.setPermissionCheckHandler(() => false);
}

function documentsDir(): string {
  try {
    return app.getPath('documents');
  } catch {
    return app.getPath('home');
  }
}

/**
 * Exported reports reach the main process as downloads of blobs the page made: each one gets a
 * save dialog with its suggested name and type; a download from anywhere else is refused.
 */
function saveDownloads(): void {
  session.defaultSession.on('will-download', (event, item) => {
    if (!isAppDownload(item.getURL())) {
      event.preventDefault();
      return;
    }
    item.setSaveDialogOptions(
      reportSaveDialogOptions(
        { fileName: item.getFilename(), mimeType: item.getMimeType() },
        { directory: documentsDir(), systemLanguage: language() },
      ),
    );
  });
}

function serveContract(appCore: Core): void {
  // One bucket per window: a runaway or compromised renderer cannot flood the app.
  const rates = new Map<number, MessageRate>();
  ipcMain.handle(IPC_REQUEST_CHANNEL, async (event, message: unknown) => {
    const frame = event.senderFrame;
    // A top-level frame has no parent; iframes (even of our own origin) are refused.
    const isMainFrame = frame !== null && frame.parent === null;
    if (!isTrustedSender(frame?.url, isMainFrame)) {
      return refused(messageId(message), new AppFailure('contract.untrusted-sender'));
    }
    let size: number;
    try {
      size = Buffer.byteLength(JSON.stringify(message) ?? '');
    } catch {
      size = Number.POSITIVE_INFINITY;
    }
    if (size > MAX_MESSAGE_BYTES) {
      return refused(messageId(message), new AppFailure('contract.too-large'));
    }
    const sender = event.sender;
    let rate = rates.get(sender.id);
    if (!rate) {
      rate = new MessageRate(appCore.limits);
      rates.set(sender.id, rate);
      sender.once('destroyed', () => rates.delete(sender.id));
    }
    // The pieces of an upload count apart (app/api/limits.ts).
    if (!rate.take(message, (id) => appCore.ownsUpload(clientOf(sender.id), id))) {
      return refused(messageId(message), rateLimited());
    }
    return appCore.dispatch(message, {
      client: clientOf(sender.id),
      emit(name, payload) {
        if (!sender.isDestroyed()) {
          sender.send(IPC_EVENT_CHANNEL, { kind: 'event', event: name, payload });
        }
      },
    });
  });
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 800,
    minHeight: 560,
    title: APP_NAME,
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      devTools: !app.isPackaged,
    },
  });
  window.once('ready-to-show', () => window.show());
  const client = clientOf(window.webContents.id);
  window.webContents.on('input-event', (_event, input) =>
    gestures.note(client, input.type, Date.now()),
  );
  window.webContents.once('destroyed', () => {
    gestures.forget(client);
    void core?.clientClosed(client);
  });
  window.on('closed', () => {
    mainWindow = null;
    // The page that started the scans is gone: stop them.
    void core?.dispose();
  });
  void window.loadURL(APP_ENTRY_URL);
  return window;
}

function showAbout(): void {
  void dialog.showMessageBox(aboutBoxOptions(language(), `${APP_NAME} ${APP_VERSION}`));
}

const helperArgs = helperArgsFromAppArgv(process.argv, app.isPackaged ? 1 : 2);
if (refusesLaunchArgs(process.argv, app.isPackaged, helperArgs !== null)) {
  // Leave before any window or child process (see refusesLaunchArgs).
  app.exit(64);
} else if (helperArgs) {
  // This copy was started elevated (UAC) only to change the firewall: no window, no single-instance
  // lock (the app that asked holds it), and its exit code is the helper's.
  void runFirewallHelper(helperArgs).then(
    (code) => app.exit(code),
    () => app.exit(1),
  );
} else if (!app.requestSingleInstanceLock()) {
  // Another Port Auditor is running: it gets focus (second-instance below), this one leaves.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAllowedNavigation(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAllowedNavigation(url)) event.preventDefault();
    });
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });

  app.on('window-all-closed', () => app.quit());

  void app.whenReady().then(() => {
    serveRenderer();
    saveDownloads();
    // Imports from the page go by path: the file the user chose in this dialog, never a path the
    // page names (report.importPicked carries none).
    const filePicker = createDialogPicker(
      {
        show(client, options) {
          const window = mainWindow;
          if (!window || clientOf(window.webContents.id) !== client) {
            return Promise.resolve({ canceled: true, filePaths: [] });
          }
          return dialog.showOpenDialog(window, options);
        },
        directory: documentsDir,
        now: Date.now,
      },
      gestures,
    );
    // The elevated helper is always the per-machine install (Windows: found in HKLM, started by
    // UAC with its flag; Linux: /usr/lib/port-auditor), never this copy, which may be a portable
    // build in Downloads or a checkout that any program of the user can change.
    // Electron's own processes (this one, its GPU and network helpers) run this executable: any
    // port they listen on is Port Auditor's, never an unknown program's.
    core = createCore({ host: 'electron', filePicker, ownExecutable: process.execPath });
    serveContract(core);
    Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(language(), { about: showAbout })));
    mainWindow = createWindow();
  });

  app.on('before-quit', () => {
    void core?.dispose();
  });
}
