export { readRenderConfig, type RenderConfig } from './config';
export { detectRenderer } from './detectRenderer';
export { isHelmHook } from './helm';
export { planKustomization } from './kustomize';
export { ManifestRenderer } from './ManifestRenderer';
export type { TreeFile } from './materializeTree';
export { RenderError, type RenderTool } from './runTool';
