import os from 'node:os';
import type { Handlers } from './dispatcher.js';
import { exportReport } from '../report/export.js';
import { importNmapXml } from '../report/nmap-xml-import.js';

/** This PC's addresses, so an nmap scan of them is recognised as this PC's on import. */
export function localAddresses(): Set<string> {
  const set = new Set<string>();
  for (const list of Object.values(os.networkInterfaces())) {
    for (const info of list ?? []) set.add(info.address.replace(/%.*$/, ''));
  }
  return set;
}

export function reportHandlers(): Pick<Handlers, 'report.export' | 'report.importNmapXml'> {
  return {
    'report.export': async ({ format, lang, ...input }) => {
      const file = await exportReport(format, lang, {
        ...input,
        pcName: input.pcName ?? os.hostname(),
      });
      return {
        fileName: file.fileName,
        mimeType: file.mimeType,
        dataBase64: file.data.toString('base64'),
      };
    },
    'report.importNmapXml': async ({ xml }) =>
      importNmapXml(xml, { localAddresses: localAddresses() }),
  };
}
