// make-clips review: watch the take, fix its segments and words, render what changed.
// Plain JavaScript, no build step. Every request carries the page's token.
"use strict";

const TOKEN = new URLSearchParams(location.search).get("token") || "";
const $ = (selector) => document.querySelector(selector);
const player = $("#player");
const timeline = $("#timeline");

let state = null; // what /api/state last said
let selected = null; // the selected segment's id
let remade = new Set(); // paths the last render wrote

function withToken(path, extra) {
  const query = new URLSearchParams({ token: TOKEN, ...(extra || {}) });
  return `${path}?${query}`;
}

async function call(method, path, body) {
  const response = await fetch(withToken(path), {
    method,
    headers: body ? { "Content-Type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  let answer = {};
  try { answer = await response.json(); } catch (_) { /* not JSON: an error page */ }
  return { ok: response.ok, status: response.status, answer };
}

function say(text, kind, offerReload) {
  const message = $("#message");
  message.textContent = text;
  message.className = kind || "";
  if (offerReload) {
    const reload = document.createElement("button");
    reload.type = "button";
    reload.id = "reload";
    reload.textContent = "Reload";
    reload.addEventListener("click", () => location.reload());
    message.append(" ", reload);
  }
}

function clearErrors() {
  document.querySelectorAll(".error").forEach((el) => { el.textContent = ""; });
}

function showError(answer) {
  clearErrors();
  const field = answer.field;
  const place = field && document.querySelector(`.error[data-for="${field}"]`);
  if (answer.segment && answer.segment !== selected && findSegment(answer.segment)) {
    select(answer.segment);
  }
  (place || $("#general-error")).textContent = answer.error || "that did not work";
}

// --- state and edits ------------------------------------------------------------------------

async function load() {
  const { ok, answer } = await call("GET", "/api/state");
  if (!ok) { say(answer.error || "cannot load the plan", "stale"); return; }
  show(answer);
}

function show(next) {
  state = next;
  $("#topic").textContent = state.plan.topic || "make-clips review";
  $("#undo").disabled = !state.can_undo;
  if (state.problem) say(state.problem, "stale");
  if (selected && !findSegment(selected)) selected = null;
  if (!selected && state.plan.segments.length) selected = state.plan.segments[0].id;
  drawTimeline();
  drawTranscript();
  drawEditor();
  drawOutputs();
}

async function edit(change) {
  clearErrors();
  const { ok, status, answer } = await call("POST", "/api/edit", { version: state.version, edit: change });
  if (ok) {
    // A segment the edit made (added, or split off) is the one to look at next.
    const known = new Set(state.plan.segments.map((segment) => segment.id));
    const made = answer.plan.segments.find((segment) => !known.has(segment.id));
    if (made) selected = made.id;
    say(describe(change));
    show(answer);
    return true;
  }
  if (status === 409) { say(answer.error, "stale", answer.stale); } else { showError(answer); }
  drawTimeline(); // put a dragged edge back where the plan has it
  return false;
}

function describe(change) {
  const what = {
    move: "moved an edge", set: `changed the ${change.field}`, split: "split the segment",
    merge: "merged two segments", delete: "deleted a segment", add: "added a segment",
    cut: "cut a stretch", word: "fixed a word",
  }[change.op];
  return `Saved: ${what}. Press Render to remake what changed.`;
}

async function undo() {
  const { ok, answer } = await call("POST", "/api/undo", { version: state.version });
  if (ok) { say("Undone."); show(answer); } else { say(answer.error, "stale", answer.stale); }
}

function findSegment(id) {
  return state && state.plan.segments.find((segment) => segment.id === id);
}

function select(id) {
  selected = id;
  clearErrors();
  drawTimeline();
  drawEditor();
  drawTranscript();
  drawOutputs();
}

// --- the timeline ---------------------------------------------------------------------------

const duration = () => (state && state.duration) || player.duration || 1;
const percent = (seconds) => `${(100 * seconds) / duration()}%`;

function drawTimeline() {
  timeline.querySelectorAll(".segment").forEach((el) => el.remove());
  for (const segment of state.plan.segments) {
    const box = document.createElement("div");
    box.className = `segment kind-${segment.kind}` + (segment.id === selected ? " selected" : "");
    box.dataset.id = segment.id;
    box.style.left = percent(segment.start);
    box.style.width = percent(segment.end - segment.start);
    box.title = `${segment.id}: ${segment.title} (${segment.start.toFixed(2)}-${segment.end.toFixed(2)} s)`;
    const name = document.createElement("span");
    name.className = "name";
    name.textContent = heading(segment);
    box.append(name);
    segment.demos.forEach((demo, index) => {
      const mark = document.createElement("div");
      mark.className = `demo form-${demo.form}`;
      mark.dataset.demo = index;
      const span = segment.end - segment.start;
      mark.style.left = `${(100 * (demo.start - segment.start)) / span}%`;
      mark.style.width = `${(100 * (demo.end - demo.start)) / span}%`;
      const tag = document.createElement("span");
      tag.className = "tag";
      tag.textContent = demo.form;
      mark.append(tag, handle("start", segment.id, index), handle("end", segment.id, index));
      box.append(mark);
    });
    box.append(handle("start", segment.id, null), handle("end", segment.id, null));
    box.addEventListener("click", (event) => { event.stopPropagation(); select(segment.id); seek(event); });
    timeline.append(box);
  }
  movePlayhead();
}

function heading(segment) {
  const number = segment.number === null || segment.number === undefined ? "" : ` #${segment.number}`;
  const kind = segment.kind === "mistake" || segment.kind === "variation" ? `${segment.kind}${number}: ` : "";
  return kind + segment.title;
}

function handle(edge, id, demo) {
  const grip = document.createElement("div");
  grip.className = `handle ${edge}`;
  grip.dataset.edge = edge;
  grip.dataset.segment = id;
  if (demo !== null) grip.dataset.demo = demo;
  grip.addEventListener("pointerdown", (event) => startDrag(event, grip, edge, id, demo));
  grip.addEventListener("click", (event) => event.stopPropagation());
  return grip;
}

function timeAt(clientX) {
  const box = timeline.getBoundingClientRect();
  const fraction = Math.min(1, Math.max(0, (clientX - box.left) / box.width));
  return fraction * duration();
}

function startDrag(event, grip, edge, id, demo) {
  event.preventDefault();
  event.stopPropagation();
  select(id);
  const target = demo === null
    ? timeline.querySelector(`.segment[data-id="${id}"]`)
    : timeline.querySelector(`.segment[data-id="${id}"] .demo[data-demo="${demo}"]`);
  const segment = findSegment(id);
  let time = null;
  const move = (moveEvent) => {
    time = timeAt(moveEvent.clientX);
    player.currentTime = time;
    if (demo === null) {
      const start = edge === "start" ? time : segment.start;
      const end = edge === "end" ? time : segment.end;
      target.style.left = percent(Math.min(start, end));
      target.style.width = percent(Math.abs(end - start));
    }
    target.classList.add("dragging");
  };
  const stop = async () => {
    window.removeEventListener("pointermove", move);
    window.removeEventListener("pointerup", stop);
    if (time === null) return;
    const change = { op: "move", segment: id, edge, time: Math.round(time * 1000) / 1000 };
    if (demo !== null) change.demo = demo;
    await edit(change);
  };
  window.addEventListener("pointermove", move);
  window.addEventListener("pointerup", stop);
}

function seek(event) {
  player.currentTime = timeAt(event.clientX);
}

function movePlayhead() {
  $("#playhead").style.left = percent(player.currentTime || 0);
}

// --- the transcript -------------------------------------------------------------------------

function drawTranscript() {
  const place = $("#transcript");
  place.textContent = "";
  const segment = findSegment(selected);
  let paragraph = document.createElement("p");
  state.words.forEach((word, index) => {
    const span = document.createElement("span");
    span.className = "word" + (word.unsure ? " unsure" : "");
    const middle = (word.start + word.end) / 2;
    if (segment && segment.start <= middle && middle < segment.end) span.classList.add("inside");
    span.dataset.index = index;
    span.textContent = word.text;
    span.title = `${word.start.toFixed(2)} s` + (word.unsure ? " · the model was unsure: check it" : "");
    span.addEventListener("click", () => { player.currentTime = word.start; });
    span.addEventListener("dblclick", () => fixWord(span, index, word));
    paragraph.append(span, " ");
    if (/[.!?]$/.test(word.text)) { place.append(paragraph); paragraph = document.createElement("p"); }
  });
  place.append(paragraph);
}

function fixWord(span, index, word) {
  const input = document.createElement("input");
  input.value = word.text;
  input.setAttribute("aria-label", `Fix the word “${word.text}”`);
  span.textContent = "";
  span.append(input);
  input.focus();
  input.select();
  let done = false;
  const finish = async (save) => {
    if (done) return;
    done = true;
    if (save && input.value.trim() && input.value.trim() !== word.text) {
      if (await edit({ op: "word", index, text: input.value.trim() })) return;
    }
    drawTranscript();
  };
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") { event.preventDefault(); finish(true); }
    if (event.key === "Escape") { event.preventDefault(); finish(false); }
    event.stopPropagation();
  });
  input.addEventListener("blur", () => finish(true));
}

// --- the selected segment -------------------------------------------------------------------

function drawEditor() {
  const segment = findSegment(selected);
  const form = $("#editor");
  form.hidden = !segment;
  if (!segment) return;
  $("#segment-id").textContent = segment.id;
  if (document.activeElement !== $("#title")) $("#title").value = segment.title;
  $("#kind").value = segment.kind;
  $("#number").value = segment.number === null || segment.number === undefined ? "" : segment.number;
  const demos = segment.demos.map((d) => `${d.form} ${d.start.toFixed(2)}-${d.end.toFixed(2)}`);
  $("#times").textContent = `${segment.start.toFixed(2)}–${segment.end.toFixed(2)} s` +
    (demos.length ? ` · demos: ${demos.join(", ")}` : "");
  $("#merge").disabled = state.plan.segments[state.plan.segments.length - 1].id === segment.id;
}

function setField(field, value) {
  const segment = findSegment(selected);
  if (!segment || segment[field] === value) return;
  edit({ op: "set", segment: selected, field, value });
}

$("#title").addEventListener("change", (event) => setField("title", event.target.value));
$("#title").addEventListener("keydown", (event) => {
  if (event.key === "Enter") { event.preventDefault(); event.target.blur(); }
});
$("#kind").addEventListener("change", (event) => setField("kind", event.target.value));
$("#number").addEventListener("change", (event) => {
  const text = event.target.value.trim();
  setField("number", text === "" ? null : Number(text));
});
$("#editor").addEventListener("submit", (event) => event.preventDefault());
$("#split").addEventListener("click", () => edit({ op: "split", segment: selected, time: player.currentTime }));
$("#merge").addEventListener("click", () => edit({ op: "merge", segment: selected }));
$("#delete").addEventListener("click", () => edit({ op: "delete", segment: selected }));
$("#add").addEventListener("click", () => edit({ op: "add", start: player.currentTime, kind: "talk" }));
$("#cut").addEventListener("click", () => {
  const start = Number($("#cut-start").value);
  const end = Number($("#cut-end").value);
  edit({ op: "cut", start, end });
});
$("#undo").addEventListener("click", undo);

// --- outputs --------------------------------------------------------------------------------

function drawOutputs() {
  const place = $("#outputs");
  place.textContent = "";
  const mine = state.outputs.filter((o) => o.segment === selected &&
    (o.type === "clip" || o.type === "compare" || (o.type === "image" && o.role && o.path.endsWith(".jpg"))));
  for (const output of mine) {
    const figure = document.createElement("figure");
    if (remade.has(output.path)) figure.classList.add("remade");
    const url = withToken(`/files/${output.path}`, { v: output.stamp });
    let media;
    if (output.type === "image") {
      media = document.createElement("img");
      media.alt = output.alt || "";
      media.loading = "lazy";
    } else {
      media = document.createElement("video");
      media.controls = true;
      media.preload = "metadata";
      media.muted = true;
      const thumbnail = state.outputs.find((o) => o.path === output.path.replace(/\.mp4$/, ".jpg"));
      if (thumbnail) media.poster = withToken(`/files/${thumbnail.path}`, { v: thumbnail.stamp });
    }
    media.src = output.type === "image" ? url : `${url}#t=1`;
    const caption = document.createElement("figcaption");
    caption.textContent = `${output.path}` + (remade.has(output.path) ? " · re-rendered" : "");
    figure.append(media, caption);
    place.append(figure);
  }
  if (!mine.length) place.textContent = "No clips or images for this segment yet: press Render.";
}

// --- rendering ------------------------------------------------------------------------------

async function render() {
  const { ok, answer } = await call("POST", "/api/render");
  if (!ok) { say(answer.error || "cannot start the render", "stale"); return; }
  $("#render").disabled = true;
  $("#progress").hidden = false;
  $("#progress .label").textContent = "starting";
  say("Rendering what changed…");
  follow();
}

async function follow() {
  const { answer } = await call("GET", "/api/render");
  $("#progress .bar span").style.width = `${Math.round(100 * (answer.fraction || 0))}%`;
  $("#progress .label").textContent = `${answer.stage || ""} ${Math.round(100 * (answer.fraction || 0))}%`;
  if (answer.state === "running") { setTimeout(follow, 400); return; }
  $("#render").disabled = false;
  $("#progress").hidden = true;
  if (answer.state === "failed") { say(`Render failed: ${answer.error}`, "stale"); return; }
  remade = new Set(answer.remade || []);
  const files = [...remade].filter((p) => p.startsWith("clips/") || p.startsWith("images/"));
  say(`Rendered in ${answer.seconds} s: ${files.length} clip and image files remade, the rest kept.`);
  await load();
}

$("#render").addEventListener("click", render);

// --- keys and the player --------------------------------------------------------------------

document.addEventListener("keydown", (event) => {
  const typing = ["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement.tagName);
  if (typing || event.altKey || event.metaKey) return;
  if (event.ctrlKey && event.key.toLowerCase() === "z") { event.preventDefault(); undo(); return; }
  if (event.ctrlKey) return;
  const key = event.key.toLowerCase();
  if (key === " ") { event.preventDefault(); player.paused ? player.play() : player.pause(); }
  else if (key === "j") { player.currentTime = Math.max(0, player.currentTime - 2); }
  else if (key === "k") { player.pause(); player.playbackRate = 1; }
  else if (key === "l") {
    player.playbackRate = player.paused ? 1 : Math.min(4, player.playbackRate * 2);
    player.play();
  } else if ((key === "i" || key === "o") && selected) {
    edit({ op: "move", segment: selected, edge: key === "i" ? "start" : "end", time: player.currentTime });
  }
});

player.addEventListener("timeupdate", () => {
  movePlayhead();
  const now = player.currentTime;
  document.querySelectorAll(".word.current").forEach((el) => el.classList.remove("current"));
  if (!state) return;
  const index = state.words.findIndex((w) => w.start <= now && now < w.end);
  const span = index >= 0 && document.querySelector(`.word[data-index="${index}"]`);
  if (span) span.classList.add("current");
  if (document.activeElement !== $("#cut-start") && document.activeElement !== $("#cut-end")) {
    $("#cut-start").value = now.toFixed(1);
    $("#cut-end").value = Math.min(duration(), now + 1).toFixed(1);
  }
});
player.addEventListener("seeked", movePlayhead);
timeline.addEventListener("click", seek);

player.src = withToken("/source");
load();
