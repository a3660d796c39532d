// Types of the Crumbless browser API: the global function the loader
// (crumbless.js) defines, and the stub that queues calls made before it loads.
//
//   crumbless('event', 'signup', { plan: 'pro', seats: 3 });
//
// Use it as a global (add this file to "types" or a triple-slash reference),
// or import the types: import type { CrumblessProps } from './crumbless';

/** Property values of a custom event; they are sent as strings. */
export type CrumblessPropValue = string | number | boolean;

/** Properties of a custom event: at most 30; keys up to 64 bytes, values up to 256. */
export type CrumblessProps = Record<string, CrumblessPropValue>;

/** The global `crumbless` function. */
export interface Crumbless {
  /**
   * Sends a custom event named `name` (up to 64 bytes) with optional
   * properties, attributed to the current page. Calls made before the
   * tracker is ready are queued.
   */
  (command: 'event', name: string, props?: CrumblessProps): void;
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
