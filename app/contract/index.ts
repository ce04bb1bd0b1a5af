export * from './app.js';
export * from './envelope.js';
export * from './errors.js';
export * from './methods.js';
export * from './scan.js';
export * from './risk.js';
export * from './firewall.js';
export * from './bridge.js';
