// A static single-page app: everything renders in the browser from the Hono API.
export const ssr = false;
export const prerender = false;
