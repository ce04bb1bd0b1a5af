// Every CLI subcommand, one line each: `export { default as <name> } from './<file>.js';`
export { default as scan } from './scan.js';
