// End-to-end harness: build once, `vite preview`, Chromium via playwright-core, screenshots.
export { startApp } from './app';
export type { AppHarness, AppPage } from './app';
export { CHROMIUM_ARGS, CHROMIUM_PATH, launchChromium, screenshot } from './browser';
export { BUILD_DIR, buildDir, buildIsFresh, ensureBuild, ROOT, SHOTS_DIR } from './build';
export type { BuildVariant } from './build';
export { bundleForBrowser } from './bundle';
export { freePort, startPreview } from './preview';
export type { PreviewServer } from './preview';
export { stopProcess, track } from './processes';
export { connectionState, connectVirtual, gotoPage, savedPoints, uploadModel } from './flows';
export type { PageName } from './flows';
export { axeViolations, expectNoAxeViolations, formatViolations } from './axe';
export type { AxeViolation } from './axe';
