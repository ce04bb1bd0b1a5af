import { readFileSync } from 'node:fs';

/**
 * The login name of user number `uid` in `passwd`, the text of /etc/passwd (passwd(5): one
 * account per line, `name:password:uid:gid:gecos:home:shell`), or null when no line has that uid.
 * Comment lines and lines with fewer fields are skipped; the first account of that uid wins, as
 * getpwuid(3) answers. Pure: the file is read by accountName.
 */
export function passwdName(passwd: string, uid: number): string | null {
  for (const line of passwd.split('\n')) {
    if (line.startsWith('#')) continue;
    const fields = line.split(':');
    if (fields.length < 7) continue;
    const [name, , id] = fields;
    if (name && id !== undefined && /^\d+$/.test(id) && Number(id) === uid) return name;
  }
  return null;
}

/**
 * How a message names user number `uid` (review 13 A8): its login name from /etc/passwd with its
 * number, `bob, uid 1001`, or `uid 1001` alone when the file does not list it (an account of a
 * directory service, or a number no account has). `uid` is the field's own name (passwd(5)), the
 * same in French and English. `read` returns the file's text; when it throws, the number alone.
 */
export function accountWords(
  uid: number,
  read: () => string = () => readFileSync('/etc/passwd', 'utf8'),
): string {
  let name: string | null = null;
  try {
    name = passwdName(read(), uid);
  } catch {
    // Unreadable: the number says it.
  }
  return name ? `${name}, uid ${uid}` : `uid ${uid}`;
}
