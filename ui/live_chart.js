// The live chart: one Plotly chart (or one scrubber) per Streamlit Components v2 instance,
// updated in place. Served from the app's static folder (ui/live_chart.py copies it there
// with plotly.js from ui/vendor/); Python mounts it through a tiny loader.
//
// A chart keeps its DOM node across reruns (the component's id is its key) and is redrawn
// with Plotly.react only when its figure's revision changes. Frames (precomputed patches
// of the figure) are applied in the browser when the scrubber of their group moves: no
// websocket message until the student stops, when the scrubber reports its settled value.

const charts = new WeakMap(); // parentElement → the chart's state
const figures = new Map(); // Python key → {rev, figure, frames}: survives a page switch
const groups = new Map(); // scrubber key → {index, listeners}
let plotlyLoading = null;

// Exported: app.py starts it before the first chart mounts (ui/live_chart.py load_plotly_early).
export function loadPlotly(file) {
  // plotly.min.js is a UMD bundle: as a classic script it sets window.Plotly. Keep our own
  // reference, whatever else on the page sets window.Plotly later.
  plotlyLoading ??= new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = new URL(`./${file}`, import.meta.url).href;
    script.onload = () => resolve(window.Plotly);
    script.onerror = () => reject(new Error(`plotly.js could not be loaded from ${script.src}`));
    document.head.appendChild(script);
  });
  return plotlyLoading;
}

function decode(data) {
  if (data instanceof Uint8Array || data instanceof ArrayBuffer) {
    return JSON.parse(new TextDecoder().decode(data));
  }
  return typeof data === "string" ? JSON.parse(data) : data;
}

function group(name) {
  if (!groups.has(name)) groups.set(name, { index: null, listeners: new Set() });
  return groups.get(name);
}

// `tree` with the value at `path` replaced (null deletes it), copied along the path: a
// frame's key "yaxis.range" or "shapes.2.x0" reaches inside a value (a number names a
// list's item) instead of replacing all of it. ui/frames.py `_set_path` does the same.
function setPath(tree, path, value) {
  const dot = path.indexOf(".");
  const head = dot < 0 ? path : path.slice(0, dot);
  const result = Array.isArray(tree) ? [...tree] : { ...tree };
  if (dot >= 0) result[head] = setPath(result[head] ?? {}, path.slice(dot + 1), value);
  else if (value === null && !Array.isArray(result)) delete result[head];
  else result[head] = value;
  return result;
}

// The figure a frame shows: the base with the frame's trace properties and layout keys
// replaced (null deletes a key). ui/frames.py `shown_figure` does the same in Python.
function withFrame(figure, frame) {
  if (!frame) return figure;
  const patch = (base, changes) => {
    let result = { ...base };
    for (const [name, value] of Object.entries(changes || {})) result = setPath(result, name, value);
    return result;
  };
  const traces = frame.data || {};
  return {
    data: figure.data.map((trace, index) => (traces[index] ? patch(trace, traces[index]) : trace)),
    layout: patch(figure.layout, frame.layout),
  };
}

// An array a frame derives from ones it shares, as ui/frames.py `_resolved` (a mask: bytes
// of bits, bit j of byte k for entry 8k + j): {"of", "mask"} the entries whose bit is set; {"of", "scale", "add"} each times scale plus
// add; {"where", "then", "else"} then's entry where the bit is set, else else's; {"of",
// "upto", "tail"} the first upto entries, then the tail's.
function resolved(tree) {
  const bit = (bits, i) => (bits[i >> 3] >> (i & 7)) & 1;
  if ("where" in tree) {
    const [then, otherwise, bits] = [numbers(tree.then), numbers(tree.else), numbers(tree.where)];
    return Float64Array.from(then, (value, i) => (bit(bits, i) ? value : otherwise[i]));
  }
  const values = numbers(tree.of);
  if ("upto" in tree) {
    const drawn = new values.constructor(tree.upto + tree.tail.length);
    drawn.set(values.subarray(0, tree.upto));
    drawn.set(tree.tail, tree.upto);
    return drawn;
  }
  if ("scale" in tree) return Float64Array.from(values, (value) => value * tree.scale + tree.add);
  const bits = numbers(tree.mask);
  return values.filter((_, i) => bit(bits, i));
}

// Frames share their recurring packed arrays through a pool: {"pool": i} stands for pool[i].
function unpooled(tree, pool) {
  if (Array.isArray(tree)) return tree.map((value) => unpooled(value, pool));
  if (tree === null || typeof tree !== "object") return tree;
  const names = Object.keys(tree);
  if (names.length === 1 && names[0] === "pool") return pool[tree.pool];
  const result = Object.fromEntries(names.map((name) => [name, unpooled(tree[name], pool)]));
  const derived = "where" in result || ("of" in result && ["mask", "scale", "upto"].some((key) => key in result));
  return derived ? resolved(result) : result;
}

function remember(payload) {
  let { figure, frames } = payload;
  if (frames) {
    figure = unpooled(figure, frames.pool);
    frames = frames.steps.map((step) => unpooled(step, frames.pool));
  }
  figures.set(payload.key, { rev: payload.rev, figure, frames });
}

// The height of the strip above each chart that holds the mode bar (addStyles).
const MODE_BAR_STRIP_PX = { mouse: 28, touch: 40 };

let styled = false;
function addStyles() {
  if (styled) return;
  styled = true;
  const style = document.createElement("style");
  style.textContent = `
    /* A layout image is a picture of grid cells (the network page's probabilities): drawn
       crisp, as Plotly draws a heatmap's cells. */
    .live-chart .imagelayer image { image-rendering: pixelated; }
    /* quickMove resizes a point with scale(): its outline keeps its width. */
    .live-chart .scatterlayer path.point { vector-effect: non-scaling-stroke; }
    .live-scrubber { font-family: inherit; color: var(--st-text-color, #31333f); padding: 0.25rem 0 0.5rem; }
    .live-scrubber-head { display: flex; justify-content: space-between; align-items: baseline;
      font-size: 0.875rem; margin-bottom: 0.25rem; }
    .live-scrubber-value { font-variant-numeric: tabular-nums; font-weight: 600;
      color: var(--st-primary-color, #0072b2); }
    .live-scrubber-row { display: flex; align-items: center; gap: 0.5rem; }
    .live-scrubber-row input { flex: 1; accent-color: var(--st-primary-color, #0072b2); height: 1.5rem; }
    .live-scrubber-play { border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 0.5rem;
      background: white; width: 2.25rem; height: 2rem; cursor: pointer; font-size: 0.9rem;
      color: inherit; display: inline-flex; align-items: center; justify-content: center; }
    .live-scrubber-play:focus-visible, .live-scrubber-row input:focus-visible {
      outline: 2px solid var(--st-primary-color, #0072b2); outline-offset: 2px; }
    /* The mode bar sits in a strip of its own above the chart, never over a legend or a
       title (Plotly puts it over the figure's top right corner). With a mouse (the bar
       shows on hover) the strip takes in the 1rem gap Streamlit leaves above an element. */
    .live-chart-box { padding-top: ${MODE_BAR_STRIP_PX.mouse}px; margin-top: -1rem; }
    .live-chart-box .live-chart .modebar-container { top: -${MODE_BAR_STRIP_PX.mouse}px !important; }
    @media (pointer: coarse) {
      /* Finger-sized buttons; on a touch screen Plotly shows the mode bar all the time. */
      .live-chart-box { padding-top: ${MODE_BAR_STRIP_PX.touch}px; margin-top: 0; }
      .live-chart-box .live-chart .modebar-container { top: -${MODE_BAR_STRIP_PX.touch}px !important; }
      .live-chart.js-plotly-plot .plotly .modebar-btn { height: 36px; padding: 8px 7px; font-size: 20px; }
      /* A finger-sized thumb: the native one, 16 px, scaled (track and all) to 28 px. */
      .live-scrubber-row input { zoom: 1.75; }
    }
    @media (hover: none) {
      /* A button's name shows on hover, which a tap leaves on (over the legend) until the
         next tap elsewhere: not on a touch screen. */
      .live-chart.js-plotly-plot .plotly [data-title]:hover::before,
      .live-chart.js-plotly-plot .plotly [data-title]:hover::after { display: none; }
    }`;
  document.head.appendChild(style);
}

// A frame that only moves the marks of scatter traces (a descent's current point, a line of
// any length, the cost marker), resizes their markers, renames their legend entries or
// swaps a layout image's source is drawn by changing those SVG elements, without Plotly:
// a move costs a small fraction of a Plotly.react (BENCHMARKS.md §§ 4, 12). Plotly's own
// record of the figure catches up (a full redraw) once the scrubber has rested for
// QUICK_SETTLE_MS, so hover and zoom read the frame shown. Anything else: Plotly draws it.
const QUICK_SETTLE_MS = 250;
const QUICK_TRACE_KEYS = ["x", "y", "hovertemplate", "marker", "name"];
const TYPED = { f8: Float64Array, f4: Float32Array, i4: Int32Array, i2: Int16Array, i1: Int8Array,
  u4: Uint32Array, u2: Uint16Array, u1: Uint8Array };
const decoded = new WeakMap(); // a packed array ({dtype, bdata}) of a frame → its numbers

// A frame's array as numbers: a packed one decoded once (frames live as long as the chart).
function numbers(value) {
  if (!value || typeof value !== "object" || !("bdata" in value)) return value;
  if (!decoded.has(value)) {
    const bytes = Uint8Array.from(atob(value.bdata), (c) => c.charCodeAt(0));
    decoded.set(value, new TYPED[value.dtype](bytes.buffer));
  }
  return decoded.get(value);
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

// One layout image's new source: its <image> element's href (Plotly binds each image's
// options to its element; `_index` is its place in layout.images).
function quickImages(state, images) {
  const drawn = state.div.layout.images || [];
  if (!Array.isArray(images) || images.length !== drawn.length) return null;
  const swaps = [];
  for (const [index, image] of images.entries()) {
    const { source, ...rest } = image;
    const { source: drawnSource, ...drawnRest } = drawn[index];
    if (!same(rest, drawnRest)) return null;
    if (source === drawnSource && !state.quickImage) continue;
    const node = [...state.div.querySelectorAll(".imagelayer image")].find(
      (element) => element.__data__ && element.__data__._index === index,
    );
    if (!node) return null;
    swaps.push([node, source]);
  }
  return () => {
    for (const [node, source] of swaps) node.setAttributeNS("http://www.w3.org/1999/xlink", "xlink:href", source);
  };
}

// A line through `pixels` as an SVG path: broken where a point is missing, unless the
// trace connects the gaps.
function linePath(pixels, connectGaps) {
  let path = "";
  let pen = "M";
  for (const [px, py] of pixels) {
    if (!Number.isFinite(px) || !Number.isFinite(py)) {
      if (!connectGaps) pen = "M";
      continue;
    }
    path += `${pen}${px},${py}`;
    pen = "L";
  }
  return path;
}

function quickTrace(state, index, patch) {
  const { div } = state;
  const layout = div._fullLayout;
  if (Object.keys(patch).some((name) => !QUICK_TRACE_KEYS.includes(name))) return null;
  const group = [...div.querySelectorAll(".scatterlayer .trace")].find(
    (node) => node.__data__ && node.__data__[0] && node.__data__[0].trace.index === index,
  );
  const trace = div._fullData[index];
  if (!group || !trace || trace.type !== "scatter") return null;
  // Of the marker, only the sizes may change (relative to the sizes Plotly drew).
  let scales = null;
  if (patch.marker) {
    const { size, ...rest } = patch.marker;
    const { size: drawnSize, ...drawnRest } = (div.data[index] && div.data[index].marker) || {};
    if (!same(rest, drawnRest)) return null;
    const sizes = numbers(size);
    const drawn = trace.marker.size;
    const at = (values, i) => (values !== null && typeof values === "object" ? values[i] : values);
    scales = (i) => at(sizes, i) / at(drawn, i);
  }
  const xaxis = layout[`xaxis${trace.xaxis.slice(1)}`];
  const yaxis = layout[`yaxis${trace.yaxis.slice(1)}`];
  const xs = numbers(patch.x) ?? trace.x;
  const ys = numbers(patch.y) ?? trace.y;
  if (!xs || !ys || xs.length !== ys.length) return null;
  const pixel = (value, axis) => (value === null || value === undefined ? NaN : axis.d2p(value));
  const pixels = Array.from(xs, (x, i) => [pixel(x, xaxis), pixel(ys[i], yaxis)]);
  const points = [...group.querySelectorAll("path.point")];
  const lines = [...group.querySelectorAll("path.js-line")];
  // Each drawn point is its data point `i`; a point Plotly did not draw (a gap) or one it
  // would not draw now cannot be moved here.
  const placed = [];
  const drawnCount = pixels.filter(([px, py]) => Number.isFinite(px) && Number.isFinite(py)).length;
  const uniform = ["size", "color", "symbol", "opacity"].every(
    (name) => trace.marker === undefined || trace.marker[name] === null || typeof trace.marker[name] !== "object",
  );
  if (trace.mode.includes("markers") && points.length !== drawnCount && uniform && !scales && points.length) {
    // Points alike (the reliability curves, whose bins fill and empty): the drawn ones go
    // to the frame's points in order, copies of the first make up the count, the rest wait
    // off the chart. Plotly's catch-up binds its points to these nodes by order and
    // removes the ones it does not need.
    const finite = pixels.filter(([px, py]) => Number.isFinite(px) && Number.isFinite(py));
    for (let k = 0; k < Math.max(finite.length, points.length); k++) {
      placed.push([points[k] ?? points[0], finite[k] ?? [-1e5, -1e5], 1, !points[k]]);
    }
  } else if (trace.mode.includes("markers")) {
    if (points.length !== drawnCount) return null;
    for (const point of points) {
      const i = point.__data__ && point.__data__.i;
      if (!Number.isInteger(i) || !pixels[i] || !Number.isFinite(pixels[i][0]) || !Number.isFinite(pixels[i][1])) return null;
      const scale = scales ? scales(i) : 1;
      if (!Number.isFinite(scale) || scale <= 0) return null;
      placed.push([point, pixels[i], scale]);
    }
  } else if (scales) return null;
  const path = trace.mode.includes("lines") ? linePath(pixels, trace.connectgaps) : null;
  // A shape filled to itself (a band): Plotly's fill path is its line path, closed.
  const fills = trace.fill === "toself" ? [...group.querySelectorAll("path.js-fill")] : [];
  if (trace.fill && trace.fill !== "none" && (fills.length !== 1 || path === null)) return null;
  if (path !== null && !lines.length && !fills.length) return null;
  let legend = null;
  if (patch.name !== undefined && patch.name !== trace.name) {
    legend = [...div.querySelectorAll(".legend .traces")].find(
      (node) => node.__data__ && node.__data__[0] && node.__data__[0].trace.index === index,
    );
    legend = legend && legend.querySelector("text.legendtext");
  }
  return () => {
    for (const [drawn, [px, py], scale, copy] of placed) {
      const point = copy ? drawn.parentNode.appendChild(drawn.cloneNode(true)) : drawn;
      point.setAttribute("transform", scale === 1 ? `translate(${px},${py})` : `translate(${px},${py}) scale(${scale})`);
    }
    if (path !== null) {
      // Plotly draws a line broken by gaps as a path per piece: the first takes them all.
      lines.forEach((line, i) => line.setAttribute("d", i ? "" : path || "M0,0Z"));
      fills.forEach((fill) => fill.setAttribute("d", path ? `${path}Z` : "M0,0Z"));
    }
    if (legend) legend.textContent = patch.name;
  };
}

function quickMove(state, frame) {
  if (!frame || !state.div._fullLayout || !state.div.data) return false;
  const jobs = [];
  for (const [name, value] of Object.entries(frame.layout || {})) {
    // A value reached by a dotted key that the chart already shows (an axis range that
    // stays over several steps) needs no redraw; any other layout change does.
    if (name.includes(".") && same(value, name.split(".").reduce((tree, key) => tree?.[key], state.div.layout))) continue;
    const job = name === "images" ? quickImages(state, value) : null;
    if (!job) return false;
    jobs.push(job);
  }
  for (const [key, patch] of Object.entries(frame.data || {})) {
    const job = quickTrace(state, Number(key), patch);
    if (!job) return false;
    jobs.push(job);
  }
  for (const job of jobs) job();
  if (frame.layout && frame.layout.images) state.quickImage = true;
  return true;
}

// A figure may carry a second layout for a narrow chart (small multiples two to a row
// instead of all in one): layout.meta.responsive = {below: px, layout: the top-level layout
// keys to replace}. The chart's current width picks one; its height follows the layout.
function responsiveLayout(state, layout) {
  const responsive = layout.meta && layout.meta.responsive;
  const width = state.div.clientWidth;
  state.narrow = Boolean(responsive) && width > 0 && width < responsive.below;
  state.div.dataset.layout = state.narrow ? "narrow" : "wide"; // for the tests
  const chosen = state.narrow ? { ...layout, ...responsive.layout } : layout;
  // In presentation the height the scene leaves wins (fitCharts).
  if (state.fitHeight) chosen.height = state.fitHeight;
  state.height = responsive ? chosen.height : null;
  if (state.height) state.div.style.height = `${state.height}px`;
  return chosen;
}

function crossesResponsiveWidth(state, width) {
  const responsive = state.figure && state.figure.layout.meta && state.figure.layout.meta.responsive;
  return Boolean(responsive) && width < responsive.below !== Boolean(state.narrow);
}

function draw(state, { full = false } = {}) {
  const { Plotly, div, figure, frames, config } = state;
  const index = state.follows ? group(state.follows).index ?? state.active : state.active;
  clearTimeout(state.settle);
  if (!full && frames && state.shownRev === state.rev && quickMove(state, frames[index])) {
    state.shownIndex = index;
    div.dataset.quick = "true"; // until Plotly catches up (the tests wait for it)
    state.settle = setTimeout(() => {
      if (state.div.isConnected) draw(state, { full: true });
    }, QUICK_SETTLE_MS);
    return Promise.resolve();
  }
  const shown = withFrame(figure, frames ? frames[index] : null);
  // One uirevision per chart: a student's zoom and legend choices survive every redraw.
  const layout = { ...responsiveLayout(state, shown.layout), uirevision: shown.layout.uirevision ?? state.key };
  let shownConfig = config;
  if (touchScreen()) {
    // A one-finger swipe over the chart scrolls the page: the chart takes no drag unless
    // the student picked zoom or pan in the mode bar, and a double tap is not a zoom.
    layout.dragmode = state.dragmode ?? false;
    shownConfig = { ...config, doubleClick: false, showTips: false }; // no "double-click to…" tip
  }
  state.shownIndex = index;
  state.shownRev = state.rev;
  state.quickImage = false;
  delete div.dataset.quick;
  return Plotly.react(div, shown.data, layout, shownConfig);
}

function touchScreen() {
  return matchMedia("(pointer: coarse), (hover: none)").matches;
}

// On a touch screen the mode bar's zoom or pan holds for one gesture: once the axes have
// moved, a swipe scrolls the page again (the mode bar's home button zooms back out).
function followModes(state) {
  state.div.on("plotly_relayout", (change) => {
    if (!touchScreen()) return;
    if ("dragmode" in change) {
      state.dragmode = change.dragmode || null;
      return;
    }
    const moved = Object.keys(change).some((name) => /^[xy]axis\d*\.(range|autorange)/.test(name));
    if (moved && state.dragmode) {
      state.dragmode = null;
      // Not from inside Plotly's own relayout.
      setTimeout(() => state.div.isConnected && state.Plotly.relayout(state.div, { dragmode: false }), 0);
    }
  });
}

// Charts following a scrubber redraw in page order, each at the scrubber's latest step,
// as many per animation frame as fit in FRAME_BUDGET_MS: charts whose frames move a marker
// (a descent's epoch) all land in the same frame; heavy redraws (several frame budgets
// each) go one per frame, so the first is on screen after one Plotly.react instead of
// after all of them, and a held arrow key skips the steps it overtook.
const FRAME_BUDGET_MS = 10;
const dirty = new Set();
let frameRequested = false;

function schedule(state) {
  dirty.add(state);
  if (!frameRequested) {
    frameRequested = true;
    requestAnimationFrame(drawNext);
  }
}

function drawNext() {
  frameRequested = false;
  const waiting = [...dirty].filter((state) => state.div.isConnected);
  dirty.clear();
  if (!waiting.length) return;
  const before = (a, b) => a.div.compareDocumentPosition(b.div) & Node.DOCUMENT_POSITION_FOLLOWING;
  waiting.sort((a, b) => (before(a, b) ? -1 : 1));
  const began = performance.now();
  let next = 0;
  do {
    const state = waiting[next];
    next += 1;
    if (group(state.follows).index !== state.shownIndex) draw(state);
  } while (next < waiting.length && performance.now() - began < FRAME_BUDGET_MS);
  waiting.slice(next).forEach((state) => dirty.add(state));
  if (dirty.size) {
    frameRequested = true;
    requestAnimationFrame(drawNext);
  }
}

const HIT_PX = 20; // Plotly's default hoverdistance
// A second tap (or click) this soon and this near the last one is the rest of a double
// tap: one point, not two (nor a point added and at once removed again).
const DOUBLE_TAP_MS = 500;
const DOUBLE_TAP_PX = 20;

function followClicks(state, setTriggerValue) {
  // Plotly lays a drag cover over the plot on mousedown, so the click is read on pointerup
  // anywhere in the document and kept when it lands inside one subplot's plotting area.
  let point = null;
  state.div.on("plotly_click", (event) => {
    const hit = event.points && event.points[0];
    if (hit) point = { curve: hit.curveNumber, index: hit.pointNumber, hit };
  });
  let down = null;
  let last = null; // the last click reported: {time, x, y}
  const onDown = (event) => {
    down = state.div.contains(event.target) ? { x: event.clientX, y: event.clientY } : null;
  };
  const onUp = (event) => {
    if (!down || Math.hypot(event.clientX - down.x, event.clientY - down.y) > 5) return;
    const now = event.timeStamp; // when the finger lifted, however late it is handled
    const again = last && now - last.time < DOUBLE_TAP_MS;
    if (again && Math.hypot(event.clientX - last.x, event.clientY - last.y) < DOUBLE_TAP_PX) return;
    const layout = state.div._fullLayout;
    const box = state.div.getBoundingClientRect();
    const px = event.clientX - box.left;
    const py = event.clientY - box.top;
    for (const name of Object.keys(layout._plots || {})) {
      const { xaxis, yaxis } = layout._plots[name];
      const inX = px >= xaxis._offset && px <= xaxis._offset + xaxis._length;
      const inY = py >= yaxis._offset && py <= yaxis._offset + yaxis._length;
      if (!inX || !inY) continue;
      last = { time: now, x: event.clientX, y: event.clientY };
      // plotly_click fires after pointerup: let it name the point first.
      setTimeout(() => {
        // Plotly names the point it last hovered, which can be stale when the pointer
        // jumped: keep it only if it is drawn within Plotly's hover distance of the click.
        let named = null;
        if (point && point.hit.xaxis === xaxis && point.hit.yaxis === yaxis) {
          const dx = xaxis._offset + xaxis.d2p(point.hit.x) - px;
          const dy = yaxis._offset + yaxis.d2p(point.hit.y) - py;
          if (Math.hypot(dx, dy) <= HIT_PX) named = { curve: point.curve, index: point.index };
        }
        setTriggerValue("click", {
          x: xaxis.p2d(px - xaxis._offset),
          y: yaxis.p2d(py - yaxis._offset),
          xaxis: xaxis._id,
          yaxis: yaxis._id,
          point: named,
        });
        point = null;
      }, 0);
      return;
    }
  };
  document.addEventListener("pointerdown", onDown, true);
  document.addEventListener("pointerup", onUp, true);
  state.forget.push(() => {
    document.removeEventListener("pointerdown", onDown, true);
    document.removeEventListener("pointerup", onUp, true);
  });
}

// Presentation mode (payload.fit, the least height): the charts share the height the page
// leaves below them, charts side by side the same share, so a scene fills the screen and
// never scrolls. Measured again when the page's content or the window changes size.
const fitted = new Set();
let fitRequested = false;

function requestFit() {
  if (fitRequested) return;
  fitRequested = true;
  requestAnimationFrame(() => {
    fitRequested = false;
    fitCharts();
  });
}

function fitCharts() {
  const main = document.querySelector('[data-testid="stMain"]');
  const block = main && main.querySelector('[data-testid="stMainBlockContainer"]');
  const shown = [...fitted].filter((s) => s.div.isConnected && s.div.offsetParent !== null);
  if (!block || !shown.length) return;
  const changed = new Set();
  for (let pass = 0; pass < 4; pass += 1) {
    // Over: what scrolls (a paragraph's margin may hang below the block); under: the room
    // left below the block.
    const over = main.scrollHeight - main.clientHeight;
    const room = main.getBoundingClientRect().bottom - block.getBoundingClientRect().bottom;
    // No scroll and no room worth a redraw: only charts lower than their row's tallest move.
    const slack = over > 0 ? -over : room < 2 ? 0 : room;
    // Rows: charts whose boxes overlap vertically sit side by side and share one share.
    const boxes = shown.map((s) => [s, s.div.getBoundingClientRect()]);
    boxes.sort((a, b) => a[1].top - b[1].top);
    // Each takes its row's tallest height plus the share: a chart drawn after its neighbour
    // was fitted would otherwise keep its first height beside it.
    const tallest = [];
    let bottom = -Infinity;
    for (const entry of boxes) {
      const box = entry[1];
      if (box.top >= bottom - 1) tallest.push(0);
      tallest[tallest.length - 1] = Math.max(tallest[tallest.length - 1], box.height);
      entry.push(tallest.length - 1);
      bottom = Math.max(bottom, box.bottom);
    }
    const rows = tallest.length;
    let moved = false;
    for (const [s, box, row] of boxes) {
      const height = Math.max(s.minHeight, Math.floor(tallest[row] + slack / rows));
      if (Math.abs(height - box.height) < 1) continue;
      s.fitHeight = height;
      s.div.style.height = `${height}px`;
      changed.add(s);
      moved = true;
    }
    if (!moved) break;
  }
  for (const s of changed) {
    s.figure = { ...s.figure, layout: { ...s.figure.layout, height: s.fitHeight } };
    if (s.div._fullLayout) s.Plotly.relayout(s.div, { height: s.fitHeight }).catch(() => {});
  }
}

let fitWatched = false;
function watchFit() {
  if (fitWatched) return;
  const main = document.querySelector('[data-testid="stMain"]');
  const block = main && main.querySelector('[data-testid="stMainBlockContainer"]');
  if (!block) return;
  fitWatched = true;
  window.addEventListener("resize", requestFit);
  new ResizeObserver(requestFit).observe(block);
}

async function renderChart(parentElement, payload, setTriggerValue) {
  let state = charts.get(parentElement);
  if (!state) {
    const div = document.createElement("div");
    div.className = "live-chart";
    div.style.width = "100%";
    parentElement.appendChild(div);
    state = { div, forget: [], rev: null, shownRev: null };
    state.forget.push(() => clearTimeout(state.settle));
    charts.set(parentElement, state);
    let width = 0;
    const resize = new ResizeObserver(([entry]) => {
      const now = Math.round(entry.contentRect.width);
      // A page being left hides its charts (width 0): Plotly refuses to resize those.
      const shown = now > 0 && div.isConnected && div.offsetParent !== null;
      if (state.Plotly && shown && now !== width && div._fullLayout) {
        // Plotly.react keeps the width it last laid out at: resize after a new layout too.
        const laidOut = crossesResponsiveWidth(state, now) ? draw(state, { full: true }) : null;
        Promise.resolve(laidOut)
          .then(() => state.Plotly.Plots.resize(div))
          .catch(() => {}); // the node may go before it ends
      }
      if (shown) width = now;
    });
    resize.observe(parentElement);
    state.forget.push(() => resize.disconnect());
  }
  state.key = payload.key;
  state.active = payload.active ?? 0;
  // The box keeps the mode bar's strip (addStyles; the chart's own box is the figure's),
  // except on a slide, whose height is spent on the chart: there the bar shows on hover.
  parentElement.classList.toggle("live-chart-box", !payload.presenting);
  // What a screen reader says for the chart: the server's sentence (the SVG inside is
  // presentational under role="img").
  state.div.setAttribute("role", "img");
  state.div.setAttribute("aria-label", payload.alt ?? "");
  if (payload.fit) {
    state.minHeight = payload.fit;
    if (!fitted.has(state)) {
      fitted.add(state);
      state.forget.push(() => fitted.delete(state));
    }
  } else {
    fitted.delete(state);
    state.fitHeight = null;
  }
  // A new figure may be taller or shorter; a fitted one keeps its measured height, a
  // responsive one the height of the layout shown.
  state.div.style.height = `${state.fitHeight ?? state.height ?? payload.height}px`;
  if (payload.figure !== undefined) remember(payload);
  const known = figures.get(payload.key);
  if (!known || known.rev !== payload.rev) {
    // The server left the figure out, believing this tab has it, and it does not (a lost
    // message): ask once for it; the next rerun sends it in full.
    setTriggerValue("missing", payload.rev);
    return;
  }
  Object.assign(state, known, { rev: payload.rev, config: payload.config });
  if (state.fitHeight) {
    state.figure = { ...state.figure, layout: { ...state.figure.layout, height: state.fitHeight } };
  }
  state.Plotly = await loadPlotly(payload.plotly);
  if (payload.follows && state.follows !== payload.follows) {
    state.follows = payload.follows;
    const listener = () => {
      if (group(state.follows).index !== state.shownIndex) schedule(state);
    };
    group(payload.follows).listeners.add(listener);
    state.forget.push(() => group(payload.follows).listeners.delete(listener));
  }
  const index = state.follows ? group(state.follows).index ?? state.active : state.active;
  if (state.shownRev === state.rev && state.shownIndex === index) return; // unchanged
  await draw(state);
  if (payload.fit) {
    watchFit();
    requestFit();
  }
  if (!state.modes) {
    state.modes = true;
    followModes(state);
  }
  if (payload.click && !state.clicks) {
    state.clicks = true;
    followClicks(state, setTriggerValue);
  }
}

// A page's numbers at every step (its readout: label and value text each), shown under
// the scrubber and switched on every move with the frames, so they follow the charts
// before the page reruns. Sizes in rem, on classes a presentation style can scale.
let readoutStyled = false;
function addReadoutStyles() {
  if (readoutStyled) return;
  readoutStyled = true;
  const style = document.createElement("style");
  style.textContent = `
    .live-scrubber-readout { display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; margin: 0.5rem 0 0; }
    .live-scrubber-readout > div { flex: 1 1 0; display: flex; flex-direction: column;
      justify-content: flex-end; }
    .live-scrubber-readout-label { font-size: 0.875rem; margin: 0; }
    .live-scrubber-readout-value { font-size: 1.75rem; line-height: 1.25; margin: 0;
      font-variant-numeric: tabular-nums; white-space: nowrap; }
    .live-scrubber-presenting .live-scrubber-readout-label { font-size: 1.25rem; }
    .live-scrubber-presenting .live-scrubber-readout-value { font-size: 2.25rem; }`;
  document.head.appendChild(style);
}

function setReadout(state, readout, presenting) {
  addReadoutStyles();
  state.readout = readout;
  state.box.classList.toggle("live-scrubber-presenting", Boolean(presenting));
  const box = state.readoutBox;
  box.hidden = !readout;
  if (!readout) return;
  if (box.dataset.names !== JSON.stringify(readout.names)) {
    box.dataset.names = JSON.stringify(readout.names);
    box.replaceChildren(
      ...readout.names.map((name) => {
        const item = document.createElement("div");
        item.innerHTML = '<dt class="live-scrubber-readout-label"></dt><dd class="live-scrubber-readout-value"></dd>';
        item.querySelector("dt").textContent = name;
        return item;
      }),
    );
  }
}

function showReadout(state, index) {
  if (!state.readout) return;
  const values = state.readout.values[index] ?? [];
  state.readoutBox.querySelectorAll("dd").forEach((cell, i) => {
    cell.textContent = values[i] ?? "";
  });
}

// Drawn, not typed: a Linux without an emoji font has no glyph for ⏸ (an empty box).
const icon = (path) =>
  '<svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">' +
  `<path d="${path}" fill="currentColor"/></svg>`;
const ICONS = { play: icon("M4 2.5v11l9.5-5.5z"), pause: icon("M3.5 2.5h3v11h-3zm6 0h3v11h-3z") };

function renderScrubber(parentElement, payload, setStateValue) {
  let state = charts.get(parentElement);
  if (!state) {
    const box = document.createElement("div");
    box.className = "live-scrubber";
    box.innerHTML = `
      <div class="live-scrubber-head"><label></label><output class="live-scrubber-value"></output></div>
      <div class="live-scrubber-row"><button type="button" class="live-scrubber-play"
        aria-label="play"></button><input type="range" role="slider" step="1"></div>
      <dl class="live-scrubber-readout" hidden></dl>`;
    parentElement.appendChild(box);
    const input = box.querySelector("input");
    input.id = `live-scrubber-${payload.key}`;
    box.querySelector("label").htmlFor = input.id;
    const readoutBox = box.querySelector("dl");
    readoutBox.id = `live-scrubber-readout-${payload.key}`;
    input.setAttribute("aria-describedby", readoutBox.id);
    state = { box, input, readoutBox, forget: [], pending: null, timer: null, playing: null };
    charts.set(parentElement, state);
    const show = (index) => {
      input.value = String(index);
      input.setAttribute("aria-valuenow", String(index));
      input.setAttribute("aria-valuetext", state.labels[index]);
      box.querySelector("output").textContent = state.labels[index];
      showReadout(state, index);
    };
    state.show = show;
    const moveTo = (index) => {
      show(index);
      const shared = group(state.group);
      shared.index = index;
      shared.listeners.forEach((listener) => listener());
      // Report the value once the student stops, so the numbers and the URL follow.
      clearTimeout(state.timer);
      state.pending = index;
      state.timer = setTimeout(() => state.report(index), state.settleMs);
    };
    state.moveTo = moveTo;
    input.addEventListener("input", () => moveTo(Number(input.value)));
    // A finger landing on the track moves the value there at once, even when the finger
    // goes on to scroll the page: when the browser takes the touch for a scroll
    // (pointercancel), the value goes back.
    let beforeTouch = null;
    input.addEventListener("pointerdown", (event) => {
      beforeTouch = event.pointerType === "touch" ? Number(input.value) : null;
    });
    input.addEventListener("pointercancel", () => {
      if (beforeTouch !== null && Number(input.value) !== beforeTouch) moveTo(beforeTouch);
      beforeTouch = null;
    });
    const play = box.querySelector("button");
    const stop = () => {
      clearInterval(state.playing);
      state.playing = null;
      play.innerHTML = ICONS.play;
      play.setAttribute("aria-label", "play");
    };
    play.addEventListener("click", () => {
      if (state.playing) return stop();
      let index = Number(input.value);
      if (index >= state.labels.length - 1) index = -1;
      play.innerHTML = ICONS.pause;
      play.setAttribute("aria-label", "pause");
      state.playing = setInterval(() => {
        index += 1;
        moveTo(index);
        if (index >= state.labels.length - 1) stop();
      }, state.frameMs);
    });
    stop();
    state.forget.push(() => {
      stop();
      clearTimeout(state.timer);
    });
  }
  state.labels = payload.labels;
  state.group = payload.key;
  state.settleMs = payload.settle_ms;
  state.frameMs = payload.frame_ms;
  state.report = (index) => setStateValue("value", index);
  state.box.querySelector("label").textContent = payload.label;
  setReadout(state, payload.readout ?? null, payload.presenting);
  state.box.querySelector("button").hidden = !payload.play;
  state.input.min = "0";
  state.input.max = String(payload.labels.length - 1);
  state.input.setAttribute("aria-valuemin", "0");
  state.input.setAttribute("aria-valuemax", String(payload.labels.length - 1));
  if (payload.help) state.input.title = payload.help;
  // The server's value wins unless the student has moved on since the last report.
  if (state.pending !== null && payload.value === state.pending) state.pending = null;
  const shared = group(payload.key);
  if (state.pending === null && !state.playing && shared.index !== payload.value) {
    state.show(payload.value);
    shared.index = payload.value;
    shared.listeners.forEach((listener) => listener());
  } else if (shared.index === null) {
    shared.index = payload.value;
  }
  if (state.pending === null && !state.playing) state.show(payload.value);
  showReadout(state, Number(state.input.value)); // new numbers for the step shown
}

function cleanup(parentElement) {
  // Streamlit may call a clean-up while the node stays (an effect replaced by newer data):
  // purge only once the node has really left the page.
  return () =>
    setTimeout(() => {
      const state = charts.get(parentElement);
      if (!state || parentElement.isConnected) return;
      state.forget.forEach((forget) => forget());
      if (state.Plotly && state.div) state.Plotly.purge(state.div);
      charts.delete(parentElement);
    }, 0);
}

const queues = new WeakMap(); // parentElement → the promise of its last draw
const latest = new WeakMap(); // parentElement → the newest payload it was given

export function render({ parentElement, data, setStateValue, setTriggerValue }) {
  const payload = decode(data);
  addStyles();
  if (payload.kind === "scrubber") {
    renderScrubber(parentElement, payload, setStateValue);
    return cleanup(parentElement);
  }
  latest.set(parentElement, payload);
  // One draw at a time per chart; a payload overtaken by a newer one before its turn only
  // leaves its figure in the cache (so a later rerun may refer to it).
  const drawing = (queues.get(parentElement) ?? Promise.resolve())
    .then(() => {
      if (latest.get(parentElement) === payload) return renderChart(parentElement, payload, setTriggerValue);
      if (payload.figure !== undefined) remember(payload);
    })
    .catch((error) => console.error("live chart:", error));
  queues.set(parentElement, drawing);
  return drawing.then(() => cleanup(parentElement));
}
