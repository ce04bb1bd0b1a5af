/**
 * Installs (or with --uninstall removes) Port Auditor's firewall helper for Linux, root-owned, as
 * the .deb does: `sudo npm run install-helper` from a build (`npm run build` first). Root runs
 * this checkout's code here (node_modules included) and installs its build, so the whole checkout
 * must be root's alone (cloned, `npm ci` and built as root): a folder of a user's could have been
 * changed by any program of that user. It refuses otherwise (see checkoutProblem), unless
 * `--trust-checkout` says the administrator checked it. What goes where:
 * - /usr/lib/port-auditor/firewall-helper.mjs — the self-contained helper bundle (0644);
 * - /usr/lib/port-auditor/firewall-helper, firewall-read — the programs pkexec starts (0755);
 * - /usr/lib/port-auditor/node — the Node.js they run: a link to this node when root alone can
 *   change it, otherwise a copy (a node under a home folder could be replaced by its owner);
 * - /usr/share/polkit-1/actions/org.portauditor.firewall.policy — the two polkit actions;
 * - where systemd runs, /etc/systemd/system/port-auditor-firewall.service, enabled: it re-applies
 *   the blocked ports at boot (nftables forgets them).
 * Each file is written beside its place and renamed over it, so no half-written helper ever runs.
 * `--bundle FILE` installs that build of the helper instead of dist/main/firewall-helper.mjs.
 * `--root DIR --node PATH` stages the same files under DIR for a package (the .deb), the runtime
 * a link to the distribution's node at PATH; nothing is checked or needs root then: the package
 * manager installs them as root's. See docs/elevation.md.
 */
import {
  chmodSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  realpathSync,
  renameSync,
  rmdirSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemLanguage } from '../app/api/app-handlers.js';
import {
  checkoutFileProblem,
  LINUX_HELPER,
  rootOnlyProblem,
  treeProblem,
  type PathProblem,
} from '../app/firewall/helper-install.js';
import { pathProblemText } from '../app/firewall/helper-check.js';
import { systemProgram } from '../app/system/linux-paths.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fr = systemLanguage() === 'fr';
const say = (frText: string, en: string) => (fr ? frText : en);

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

/** Copies `from` to `to` through a temporary name in the same folder, then sets the mode. */
function place(to: string, mode: number, write: (tmp: string) => void): void {
  const tmp = `${to}.tmp-${process.pid}`;
  rmSync(tmp, { force: true });
  write(tmp);
  chmodSync(tmp, mode);
  renameSync(tmp, to);
}

/** The system path `file` stands at, under the staging root when there is one. */
function at(root: string, file: string): string {
  return root ? path.join(root, file) : file;
}

/**
 * Why root should not install from this checkout, or null: each file it copies (and every folder
 * between it and the checkout) must be root's alone and stay inside the checkout, links resolved;
 * the code root runs here (node_modules, scripts/, app/, the package and TypeScript settings tsx
 * reads) must be root's alone too. A bundle given from outside the checkout must be root's alone.
 * What already ran cannot vouch for itself: this catches a checkout left open to others, not one
 * already tampered with (hence: clone and `npm ci` as root).
 */
function checkoutProblem(files: string[]): PathProblem | null {
  const within = (file: string) => !path.relative(ROOT, file).startsWith('..');
  for (const file of files) {
    const problem = within(file) ? checkoutFileProblem(file, ROOT) : rootOnlyProblem(file);
    if (problem) return problem;
  }
  for (const file of [
    'package.json',
    'tsconfig.json',
    'tsconfig.base.json',
    'tsconfig.node.json',
  ]) {
    const problem = checkoutFileProblem(path.join(ROOT, file), ROOT);
    if (problem && !problem.missing) return problem;
  }
  for (const dir of ['scripts', 'app']) {
    const problem = treeProblem(path.join(ROOT, dir), { within: ROOT });
    if (problem) return problem;
  }
  return treeProblem(path.join(ROOT, 'node_modules'));
}

function install(bundle: string, root: string, stagedNode: string): void {
  const sources = {
    bundle,
    change: path.join(ROOT, 'assets/linux/firewall-helper'),
    read: path.join(ROOT, 'assets/linux/firewall-read'),
    policy: path.join(ROOT, 'assets/linux/org.portauditor.firewall.policy'),
    unit: path.join(ROOT, `assets/linux/${LINUX_HELPER.unit}`),
  };
  for (const file of Object.values(sources)) {
    if (!existsSync(file)) {
      fail(
        say(
          `Fichier introuvable : ${file}. Construisez d’abord l’application (npm run build).`,
          `File not found: ${file}. Build the app first (npm run build).`,
        ),
      );
    }
  }
  if (!root && !process.argv.includes('--trust-checkout')) {
    const problem = checkoutProblem(Object.values(sources));
    if (problem) {
      const why = pathProblemText(problem);
      fail(
        say(
          `Installation refusée : ${why.fr}. Root exécute le code de ce dossier (node_modules compris) et installerait un module qu’un autre programme a pu modifier : tout le dossier doit appartenir à root, sans droit d’écriture pour le groupe ni les autres. Installez le paquet .deb, ou depuis une copie que seul root peut modifier : sudo git clone … /opt/port-auditor-src, puis dans ce dossier sudo npm ci, sudo npm run build et sudo npm run install-helper. Pour passer outre après avoir vérifié le dossier : sudo npm run install-helper -- --trust-checkout.`,
          `Installation refused: ${why.en}. Root runs this folder's code (node_modules included) and would install a helper another program could have changed: the whole folder must be root's, writable by neither group nor others. Install the .deb package, or from a copy only root can change: sudo git clone … /opt/port-auditor-src, then in that folder sudo npm ci, sudo npm run build and sudo npm run install-helper. To go ahead after checking the folder: sudo npm run install-helper -- --trust-checkout.`,
        ),
      );
    }
  }
  const node = root ? stagedNode : realpathSync(process.execPath);
  const nodeIsRoots = root !== '' || rootOnlyProblem(node) === null;
  if (!nodeIsRoots) {
    // A Node.js another user can change (nvm's, in a home folder) must not become root's: it would
    // run as root at every block and every boot.
    fail(
      say(
        `Installation refusée : ${node} n’appartient pas à root seul. Installez le Node.js du système (paquet nodejs, /usr/bin/node) et relancez sudo npm run install-helper avec lui.`,
        `Installation refused: ${node} is not root's alone. Install the system's Node.js (package nodejs, /usr/bin/node) and run sudo npm run install-helper with it.`,
      ),
    );
  }
  const dir = at(root, LINUX_HELPER.dir);
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  if (!lstatSync(dir).isDirectory()) fail(`${dir} is not a directory`);
  chmodSync(dir, 0o755);
  place(at(root, LINUX_HELPER.bundle), 0o644, (tmp) => copyFileSync(sources.bundle, tmp));
  place(at(root, LINUX_HELPER.change), 0o755, (tmp) => copyFileSync(sources.change, tmp));
  place(at(root, LINUX_HELPER.read), 0o755, (tmp) => copyFileSync(sources.read, tmp));

  const runtime = at(root, LINUX_HELPER.runtime);
  rmSync(runtime, { force: true });
  symlinkSync(node, runtime);

  mkdirSync(path.dirname(at(root, LINUX_HELPER.policy)), { recursive: true, mode: 0o755 });
  place(at(root, LINUX_HELPER.policy), 0o644, (tmp) => copyFileSync(sources.policy, tmp));
  if (root) {
    // The package ships the unit and the link `systemctl enable` would make.
    const unit = at(root, LINUX_HELPER.packagedUnitFile);
    mkdirSync(path.dirname(unit), { recursive: true, mode: 0o755 });
    place(unit, 0o644, (tmp) => copyFileSync(sources.unit, tmp));
    for (const link of [LINUX_HELPER.unitWants, LINUX_HELPER.unitWantsNftables]) {
      const wants = at(root, link);
      mkdirSync(path.dirname(wants), { recursive: true, mode: 0o755 });
      rmSync(wants, { force: true });
      symlinkSync(LINUX_HELPER.packagedUnitFile, wants);
    }
    process.stdout.write(`Staged the firewall helper under ${root} (node: ${node}).\n`);
    return;
  }
  const systemd = existsSync('/run/systemd/system');
  if (systemd) {
    place(LINUX_HELPER.unitFile, 0o644, (tmp) => copyFileSync(sources.unit, tmp));
    const systemctl = systemProgram('systemctl');
    execFileSync(systemctl, ['daemon-reload']);
    execFileSync(systemctl, ['enable', LINUX_HELPER.unit]);
  }

  for (const file of [
    LINUX_HELPER.change,
    LINUX_HELPER.read,
    LINUX_HELPER.bundle,
    LINUX_HELPER.runtime,
    LINUX_HELPER.policy,
  ]) {
    const problem = rootOnlyProblem(file);
    if (problem) {
      const why = pathProblemText(problem);
      fail(say(`Installation refusée : ${why.fr}.`, `Installation refused: ${why.en}.`));
    }
  }
  process.stdout.write(
    `${say(
      `Module d’administration du pare-feu installé dans ${LINUX_HELPER.dir} (appartenant à root), actions polkit dans ${LINUX_HELPER.policy}. Node.js : ${nodeIsRoots ? `lien vers ${node}` : `copie de ${node}`}.`,
      `Firewall administration helper installed in ${LINUX_HELPER.dir} (owned by root), polkit actions in ${LINUX_HELPER.policy}. Node.js: ${nodeIsRoots ? `link to ${node}` : `copy of ${node}`}.`,
    )}\n${
      systemd
        ? say(
            `Service ${LINUX_HELPER.unit} activé : les ports bloqués sont remis au démarrage.`,
            `Service ${LINUX_HELPER.unit} enabled: blocked ports are put back at boot.`,
          )
        : say(
            'Pas de systemd ici : après un redémarrage, la page Règles signale les règles disparues et les ré-applique en un clic.',
            'No systemd here: after a restart, the Rules page shows vanished rules and re-applies them in one click.',
          )
    }\n`,
  );
}

/** Whether the firewall still holds rules of Port Auditor's (read as root with nft). */
function rulesInFirewall(): boolean {
  try {
    const text = execFileSync(systemProgram('nft'), ['list', 'table', 'inet', 'port_auditor'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return /comment "PortAuditor-[0-9a-f]{8}-/.test(text);
  } catch {
    return false;
  }
}

function uninstall(): void {
  if (rulesInFirewall() && !process.argv.includes('--keep-rules')) {
    fail(
      say(
        'Des ports sont encore bloqués par Port Auditor : débloquez-les d’abord (port-auditor unblock --all, ou la page Règles), sans quoi plus rien ne pourra les retirer. Pour retirer le module en les gardant : sudo npm run install-helper -- --uninstall --keep-rules.',
        'Ports are still blocked by Port Auditor: unblock them first (port-auditor unblock --all, or the Rules page), or nothing will be able to remove them. To remove the helper and keep them: sudo npm run install-helper -- --uninstall --keep-rules.',
      ),
    );
  }
  let removed = 0;
  if (existsSync(LINUX_HELPER.unitFile) && existsSync('/run/systemd/system')) {
    execFileSync(systemProgram('systemctl'), ['disable', LINUX_HELPER.unit]);
  }
  for (const file of [
    LINUX_HELPER.unitFile,
    LINUX_HELPER.change,
    LINUX_HELPER.read,
    LINUX_HELPER.bundle,
    LINUX_HELPER.runtime,
    LINUX_HELPER.policy,
  ]) {
    if (existsSync(file) || lstatSync(file, { throwIfNoEntry: false })) removed += 1;
    rmSync(file, { force: true });
  }
  try {
    if (existsSync(LINUX_HELPER.dir)) rmdirSync(LINUX_HELPER.dir);
  } catch (error) {
    fail(
      say(
        `Le dossier ${LINUX_HELPER.dir} n’a pas pu être retiré (${(error as NodeJS.ErrnoException).code}) : il contient d’autres fichiers.`,
        `Folder ${LINUX_HELPER.dir} could not be removed (${(error as NodeJS.ErrnoException).code}): it holds other files.`,
      ),
    );
  }
  process.stdout.write(
    `${
      removed === 0
        ? say(
            'Le module d’administration n’était pas installé.',
            'The administration helper was not installed.',
          )
        : say(
            `Module d’administration retiré. Les sauvegardes du pare-feu restent dans ${LINUX_HELPER.backups}.`,
            `Administration helper removed. The firewall backups stay in ${LINUX_HELPER.backups}.`,
          )
    }\n`,
  );
}

const option = (name: string): string | null => {
  const index = process.argv.indexOf(name);
  return index > 0 ? (process.argv[index + 1] ?? '') : null;
};
const stagingRoot = option('--root');
const bundle = path.resolve(option('--bundle') ?? path.join(ROOT, 'dist/main/firewall-helper.mjs'));
if (stagingRoot !== null) {
  install(bundle, path.resolve(stagingRoot), option('--node') ?? '/usr/bin/node');
  process.exit(0);
}
if (process.platform !== 'linux') {
  fail(
    say(
      'Ce script installe le module d’administration pour Linux. Sous Windows, utilisez l’installateur.',
      'This script installs the Linux administration helper. On Windows, use the installer.',
    ),
  );
}
if (process.geteuid?.() !== 0) {
  const command = `sudo npm run install-helper${process.argv.includes('--uninstall') ? ' -- --uninstall' : ''}`;
  fail(say(`Il faut les droits root : ${command}`, `Root rights are needed: ${command}`));
}
if (process.argv.includes('--uninstall')) uninstall();
else install(bundle, '', '');
