// Types of the Crumbless browser API: the global function the loader
// (crumbless.js) defines, and the stub that queues calls made before it loads.
//
//   crumbless('event', 'signup', { plan: 'pro', seats: 3 });
//   crumbless('experiment', 'hero', 'b');
//   crumbless('consent', { analytics: 'granted', marketing: 'denied' });
//   crumbless('consent', 'withdraw');
//
// Use it as a global (add this file to "types" or a triple-slash reference),
// or import the types: import type { CrumblessProps } from './crumbless';

/** Property values of a custom event; they are sent as strings. */
export type CrumblessPropValue = string | number | boolean;

/** Properties of a custom event: at most 30; keys up to 64 bytes, values up to 256. */
export type CrumblessProps = Record<string, CrumblessPropValue>;

/** A purpose the visitor can grant or deny (necessary needs no consent). */
export type CrumblessPurpose = 'measurement' | 'analytics' | 'interaction' | 'marketing';

/** A consent choice: each named purpose granted or denied; others unchanged. */
export type CrumblessConsent = Partial<Record<CrumblessPurpose, 'granted' | 'denied'>>;

/** The global `crumbless` function. */
export interface Crumbless {
  /**
   * Sends a custom event named `name` (up to 64 bytes) with optional
   * properties, attributed to the current page. Calls made before the
   * tracker is ready are queued. Names starting with `$` are reserved: the
   * mouse add-on (the tag's `data-mouse`) sends `$heatmap`, `$rage_click`,
   * `$dead_click`, `$quick_back`, `$error_click`, `$excessive_scroll` and
   * `$bot`, which the collector turns into heatmap, frustration and bot rows.
   */
  (command: 'event', name: string, props?: CrumblessProps): void;
  /**
   * Records that the visitor was shown variant `variant` of experiment
   * `name` (each up to 64 bytes): an `experiment` event when the variant is
   * new, and every later event of the page load carries all the page's
   * experiments (at most 10). Nothing is kept across page loads: call it on
   * each page that shows the variant. Calls made before the tracker is
   * ready are queued.
   */
  (command: 'experiment', name: string, variant: string): void;
  /**
   * Reports the visitor's choice from the site's own consent UI. It counts
   * as a grant only when the site's policy names the API as its
   * authoritative source; any denial always counts. Granting measurement and
   * analytics can raise the tier to T3, the only tier that keeps an
   * identifier on the device (13 months at most, never renewed); events
   * captured before the grant stay unlinked.
   */
  (command: 'consent', choice: CrumblessConsent): void;
  /**
   * Withdraws consent to every optional purpose: the identifier kept on the
   * device is removed at once and later events are sent at a lower tier, or
   * not at all.
   */
  (command: 'consent', withdraw: 'withdraw'): void;
  /**
   * Calls queued by the stub snippet before the loader ran:
   * `window.crumbless = window.crumbless || function () {
   *   (window.crumbless.q = window.crumbless.q || []).push(arguments) }`
   */
  q?: IArguments[];
}

declare global {
  interface Window {
    crumbless: Crumbless;
  }
  /** Available as a global once the loader (or the stub) has run. */
  var crumbless: Crumbless;
}
