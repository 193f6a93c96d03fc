// The app is fully static (adapter-static) so it can be served from anywhere and installed as a PWA.
export const prerender = true;
export const ssr = false;
