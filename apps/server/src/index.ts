export { buildServer } from './app.js';
export { ConfigError, DEV_JWT_SECRET, loadConfig, type ServerConfig } from './config.js';
export { DEMO_OWNER, seedDemo } from './demo-seed.js';
export { openResources, type Resources } from './resources.js';
