/** What the landing page adds to the PSU pages' stylesheet: room for URLs and code. */
export const LANDING_CSS = `main.landing { max-width: 52rem; }
main.landing h2 { font-size: 1.15rem; margin-top: 1.75rem; }
main.landing dd { margin: 0; overflow-wrap: anywhere; }
main.landing a { color: var(--accent); }
main.landing a:focus { outline: 3px solid #f2c14e; outline-offset: 1px; }
main.landing pre { background: #f1f2f4; border: 1px solid #d5d8de; border-radius: 0.3rem; padding: 0.75rem; overflow-x: auto; font-size: 0.85rem; }
main.landing code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; overflow-wrap: anywhere; }
main.landing pre code { overflow-wrap: normal; }
`;
