// The pool's worker entry when axc runs from its TypeScript sources (the tests, AXC_FROM_SOURCE): a worker
// thread does not inherit the tsx loader, so this plain module loads cell-worker.ts through tsx's API.
import { tsImport } from 'tsx/esm/api';

const worker = await tsImport('./cell-worker.ts', import.meta.url);
export default worker.default;
