import type { ComponentType, ReactElement } from 'react';
import RadarIcon from '@mui/icons-material/Radar';
import { OpenPortsTab } from './features/scan/OpenPortsTab';
import ShieldIcon from '@mui/icons-material/Shield';
import { RulesTab } from './features/firewall/RulesTab';
import FileOpenIcon from '@mui/icons-material/FileOpen';
import { OpenNmapXmlTab } from './features/report/OpenNmapXmlTab';

/** One tab of a Toolbox page. `label` and `description` are i18n keys (`namespace:key`). */
export interface ToolTab {
  id: string;
  label: string;
  Component: ComponentType;
}

/**
 * One entry of the Toolbox menu, i.e. one page. A domain adds its page by adding one object here
 * (or a tab to an existing page), with its strings in its own i18n namespace.
 */
export interface ToolEntry {
  id: string;
  label: string;
  description: string;
  icon: ReactElement;
  tabs: ToolTab[];
}

export const toolbox: ToolEntry[] = [
  {
    id: 'network-scanner',
    label: 'scan:tool.label',
    description: 'scan:tool.description',
    icon: <RadarIcon />,
    tabs: [{ id: 'open-ports', label: 'scan:tabs.openPorts', Component: OpenPortsTab }],
  },
  {
    id: 'firewall-rules',
    label: 'firewall:tool.label',
    description: 'firewall:tool.description',
    icon: <ShieldIcon />,
    tabs: [{ id: 'rules', label: 'firewall:tabs.rules', Component: RulesTab }],
  },
  {
    id: 'open-nmap-xml',
    label: 'report:tool.label',
    description: 'report:tool.description',
    icon: <FileOpenIcon />,
    tabs: [{ id: 'open', label: 'report:tabs.open', Component: OpenNmapXmlTab }],
  },
];

export function findTool(id: string): ToolEntry | undefined {
  return toolbox.find((entry) => entry.id === id);
}
