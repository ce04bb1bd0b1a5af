/**
 * Installs (or with --uninstall removes) Port Auditor's firewall helper for Linux, root-owned, as
 * the .deb does: `sudo npm run install-helper` from a checkout. What goes where and why:
 * - /usr/lib/port-auditor/firewall-helper.mjs — the self-contained helper bundle (0644);
 * - /usr/lib/port-auditor/firewall-helper, firewall-read — the programs pkexec starts (0755);
 * - /usr/lib/port-auditor/node — the Node.js they run: a link to this node when root alone can
 *   change it, otherwise a copy (a node under a home folder could be replaced by its owner);
 * - /usr/share/polkit-1/actions/org.portauditor.firewall.policy — the two polkit actions.
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
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemLanguage } from '../app/api/app-handlers.js';
import { LINUX_HELPER, rootOnlyProblem } from '../app/firewall/helper-install.js';

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

function install(bundle: string, root: string, stagedNode: string): void {
  const sources = {
    bundle,
    change: path.join(ROOT, 'assets/linux/firewall-helper'),
    read: path.join(ROOT, 'assets/linux/firewall-read'),
    policy: path.join(ROOT, 'assets/linux/org.portauditor.firewall.policy'),
  };
  for (const file of Object.values(sources)) {
    if (!existsSync(file)) {
      fail(
        say(
          `Fichier introuvable : ${file}. Lancez d’abord npm run build:main.`,
          `File not found: ${file}. Run npm run build:main first.`,
        ),
      );
    }
  }
  const dir = at(root, LINUX_HELPER.dir);
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  if (!lstatSync(dir).isDirectory()) fail(`${dir} is not a directory`);
  chmodSync(dir, 0o755);
  place(at(root, LINUX_HELPER.bundle), 0o644, (tmp) => copyFileSync(sources.bundle, tmp));
  place(at(root, LINUX_HELPER.change), 0o755, (tmp) => copyFileSync(sources.change, tmp));
  place(at(root, LINUX_HELPER.read), 0o755, (tmp) => copyFileSync(sources.read, tmp));

  const node = root ? stagedNode : realpathSync(process.execPath);
  const nodeIsRoots = root !== '' || rootOnlyProblem(node) === null;
  const runtime = at(root, LINUX_HELPER.runtime);
  rmSync(runtime, { force: true });
  if (nodeIsRoots) symlinkSync(node, runtime);
  else place(runtime, 0o755, (tmp) => copyFileSync(node, tmp));

  mkdirSync(path.dirname(at(root, LINUX_HELPER.policy)), { recursive: true, mode: 0o755 });
  place(at(root, LINUX_HELPER.policy), 0o644, (tmp) => copyFileSync(sources.policy, tmp));
  if (root) {
    process.stdout.write(`Staged the firewall helper under ${root} (node: ${node}).\n`);
    return;
  }

  for (const file of [
    LINUX_HELPER.change,
    LINUX_HELPER.read,
    LINUX_HELPER.bundle,
    LINUX_HELPER.runtime,
    LINUX_HELPER.policy,
  ]) {
    const problem = rootOnlyProblem(file);
    if (problem)
      fail(
        say(
          `Installation refusée : ${problem.detail}.`,
          `Installation refused: ${problem.detail}.`,
        ),
      );
  }
  process.stdout.write(
    `${say(
      `Module d’administration du pare-feu installé dans ${LINUX_HELPER.dir} (appartenant à root), action polkit dans ${LINUX_HELPER.policy}. Node.js : ${nodeIsRoots ? `lien vers ${node}` : `copie de ${node}`}.`,
      `Firewall administration helper installed in ${LINUX_HELPER.dir} (owned by root), polkit actions in ${LINUX_HELPER.policy}. Node.js: ${nodeIsRoots ? `link to ${node}` : `copy of ${node}`}.`,
    )}\n`,
  );
}

function uninstall(): void {
  for (const file of [
    LINUX_HELPER.change,
    LINUX_HELPER.read,
    LINUX_HELPER.bundle,
    LINUX_HELPER.runtime,
    LINUX_HELPER.policy,
  ]) {
    rmSync(file, { force: true });
  }
  if (existsSync(LINUX_HELPER.dir)) rmdirSync(LINUX_HELPER.dir);
  process.stdout.write(
    `${say(
      `Module d’administration retiré. Les sauvegardes du pare-feu restent dans ${LINUX_HELPER.backups}.`,
      `Administration helper removed. The firewall backups stay in ${LINUX_HELPER.backups}.`,
    )}\n`,
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
  fail(
    say(
      'Il faut les droits root : sudo npm run install-helper',
      'Root rights are needed: sudo npm run install-helper',
    ),
  );
}
if (process.argv.includes('--uninstall')) uninstall();
else install(bundle, '', '');
