// The element's shadow styles. Hooks for pages: custom properties (--tandem-*) and parts
// (header, status, reason, log, message, user, assistant, tool, progress, error, form, input, send, stop, stats).
export const styles = `
:host {
  --tandem-bg: #ffffff; --tandem-fg: #1b1f24; --tandem-muted: #5b6570; --tandem-accent: #3355ff;
  --tandem-user-bg: #eef1ff; --tandem-assistant-bg: #f5f6f7; --tandem-error: #b3261e; --tandem-border: #d7dbe0;
  --tandem-radius: 10px; --tandem-font: system-ui, sans-serif; --tandem-mono: ui-monospace, monospace;
  display: flex; flex-direction: column; gap: .5rem; min-height: 16rem; max-height: 100%;
  font: 15px/1.45 var(--tandem-font); color: var(--tandem-fg); background: var(--tandem-bg);
  border: 1px solid var(--tandem-border); border-radius: var(--tandem-radius); padding: .75rem; box-sizing: border-box;
}
@media (prefers-color-scheme: dark) {
  :host {
    --tandem-bg: #16181c; --tandem-fg: #e6e8eb; --tandem-muted: #9aa4ae; --tandem-accent: #8fa2ff;
    --tandem-user-bg: #242a45; --tandem-assistant-bg: #202327; --tandem-error: #ffb4ab; --tandem-border: #33373d;
  }
}
[hidden] { display: none !important; }
header { display: flex; flex-wrap: wrap; gap: .25rem .75rem; font-size: .85em; color: var(--tandem-muted); }
.route { font-weight: 600; color: var(--tandem-accent); }
.log { flex: 1; overflow-y: auto; display: flex; flex-direction: column; gap: .5rem; min-height: 6rem; }
.message { padding: .5rem .75rem; border-radius: var(--tandem-radius); white-space: normal; overflow-wrap: anywhere; }
.message > :first-child { margin-top: 0; } .message > :last-child { margin-bottom: 0; }
.user { align-self: flex-end; background: var(--tandem-user-bg); white-space: pre-wrap; }
.assistant { align-self: flex-start; background: var(--tandem-assistant-bg); }
.assistant[aria-busy="true"]::after { content: "▍"; animation: blink 1s steps(2) infinite; }
@keyframes blink { to { opacity: 0; } }
@media (prefers-reduced-motion: reduce) { .assistant[aria-busy="true"]::after { animation: none; } }
.meta { font-size: .8em; color: var(--tandem-muted); margin-top: .25rem; }
.tool { font-size: .85em; border-left: 3px solid var(--tandem-border); padding: .15rem .5rem; margin: .35rem 0; }
.tool .call { font-family: var(--tandem-mono); color: var(--tandem-muted); }
.tool .name { font-weight: 600; color: var(--tandem-fg); }
.tool .failed { color: var(--tandem-error); }
pre { background: rgba(127,127,127,.15); padding: .5rem; border-radius: 6px; overflow-x: auto; }
code { font-family: var(--tandem-mono); font-size: .92em; }
a { color: var(--tandem-accent); }
progress { width: 100%; accent-color: var(--tandem-accent); }
.error { color: var(--tandem-error); border: 1px solid currentColor; border-radius: 6px; padding: .4rem .6rem; }
form { display: flex; gap: .5rem; align-items: flex-end; }
textarea { flex: 1; resize: vertical; min-height: 2.5rem; font: inherit; color: inherit; background: transparent;
  border: 1px solid var(--tandem-border); border-radius: 6px; padding: .4rem .5rem; }
button { font: inherit; border-radius: 6px; border: 1px solid var(--tandem-accent); padding: .4rem .9rem; cursor: pointer;
  background: var(--tandem-accent); color: var(--tandem-bg); }
button.stop { background: transparent; color: var(--tandem-accent); }
button:disabled { opacity: .5; cursor: default; }
:focus-visible { outline: 2px solid var(--tandem-accent); outline-offset: 2px; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`
