// n8n loads the package through the `n8n` section of package.json; this entry point
// only re-exports the classes for programmatic use.
export { FloraApi } from './credentials/FloraApi.credentials';
export { Flora } from './nodes/Flora/Flora.node';
export { FloraTrigger } from './nodes/FloraTrigger/FloraTrigger.node';
