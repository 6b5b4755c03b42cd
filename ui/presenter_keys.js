// The presenter's keys: in presentation mode Page Up / Page Down (what a clicker sends)
// move the lecture tour, whatever has focus. Served from the app's static folder
// (ui/presenter_keys.py); mounted by the scene row (ui/scenes.py `scene_bar`) only.
//
// The scene buttons' own shortcuts go through Streamlit's hotkey filter, which ignores a
// key whose path holds an <input>: after a lecturer drags a slider or the δ scrubber, the
// control would take Page Down for itself. A listener on window in the capture phase runs
// before any other, so it takes the two keys first and clicks ◀ / ▶: one code path for the
// mouse, the keys and the clicker. Arrow keys stay with the focused control.

const BUTTONS = { PageDown: "scene_next", PageUp: "scene_back" };

function onKey(event) {
  const key = BUTTONS[event.key];
  if (!key || event.ctrlKey || event.metaKey || event.altKey || event.shiftKey) return;
  const button = document.querySelector(`.st-key-${key} button`);
  if (!button) return; // not in presentation mode: the page keeps its keys
  // Not the focused control's step nor the page's scroll, and not Streamlit's shortcut:
  // one press, one scene.
  event.preventDefault();
  event.stopImmediatePropagation();
  if (!event.repeat && !button.disabled) button.click();
}

// Once per document: a newer copy of this module (a new version after a server restart)
// replaces the listener of the older one rather than adding a second.
const LISTENING = Symbol.for("loss-explorer.presenter-keys");
window[LISTENING]?.abort();
const listening = new AbortController();
window.addEventListener("keydown", onKey, { capture: true, signal: listening.signal });
window[LISTENING] = listening;

// The component draws nothing; its box takes no room in the scene row.
const style = document.createElement("style");
style.textContent = ".st-key-presenter_keys { display: none; }";
document.head.appendChild(style);

export function render() {}
