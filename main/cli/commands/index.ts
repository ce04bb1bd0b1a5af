// Every CLI subcommand, one line each: `export { default as <name> } from './<file>.js';`
export { default as scan } from './scan.js';
export { default as block } from './block.js';
export { default as rules } from './rules.js';
export { default as unblock } from './unblock.js';
export { default as reapply } from './reapply.js';
export { default as firewallStatus } from './firewall-status.js';
export { default as report } from './report.js';
export { default as importNmap } from './import.js';
export { default as history } from './history.js';
