// Interaction for a flame graph written by jbpf: details on hover, zoom on click, search with Ctrl-F or F3.
// Each frame is <g class="f"><title>NAME (COUNT UNIT, P%)</title><rect/><text/></g>; XPAD and CHAR_WIDTH come
// from the writer. Geometry is read back from the rectangles, so the picture is complete without this script.
"use strict";
var SEARCH_FILL = "rgb(230,0,230)";
var svg, width, boxes = [], details, unzoomButton, searchButton, matched, lastSearch = "";

function init(evt) {
  svg = document.documentElement;
  width = parseFloat(svg.getAttribute("width"));
  details = document.getElementById("details").firstChild;
  unzoomButton = document.getElementById("unzoom");
  searchButton = document.getElementById("search");
  matched = document.getElementById("matched").firstChild;
  var groups = document.getElementById("frames").getElementsByTagName("g");
  for (var i = 0; i < groups.length; i++) {
    var g = groups[i], rect = g.getElementsByTagName("rect")[0];
    var title = g.getElementsByTagName("title")[0].textContent;
    var box = {
      g: g, rect: rect, text: g.getElementsByTagName("text")[0], title: title,
      name: title.substring(0, title.lastIndexOf(" (")),
      x: parseFloat(rect.getAttribute("x")), w: parseFloat(rect.getAttribute("width")),
      y: parseFloat(rect.getAttribute("y")), fill: rect.getAttribute("fill")
    };
    g.jbpfBox = box;
    boxes.push(box);
  }
  svg.addEventListener("mouseover", function (e) {
    var box = boxOf(e.target);
    if (box) details.nodeValue = "Function: " + box.title;
  });
  svg.addEventListener("mouseout", function (e) {
    if (boxOf(e.target)) details.nodeValue = " ";
  });
  svg.addEventListener("click", function (e) {
    var box = boxOf(e.target);
    if (box) zoom(box);
    else if (e.target === unzoomButton) unzoom();
    else if (e.target === searchButton) askSearch();
  });
  window.addEventListener("keydown", function (e) {
    if (e.keyCode === 114 || ((e.ctrlKey || e.metaKey) && e.keyCode === 70)) {
      e.preventDefault();
      askSearch();
    } else if (e.keyCode === 27) {
      search("");
      unzoom();
    }
  });
}

function boxOf(node) {
  for (; node && node !== svg; node = node.parentNode) if (node.jbpfBox) return node.jbpfBox;
  return null;
}

function label(name, w) {
  var chars = Math.floor((w - 6) / CHAR_WIDTH);
  if (chars < 3) return "";
  return name.length <= chars ? name : name.substring(0, chars - 2) + "..";
}

function place(box, x, w, parent) {
  box.rect.setAttribute("x", x.toFixed(2));
  box.rect.setAttribute("width", w.toFixed(2));
  box.text.setAttribute("x", (x + 3).toFixed(2));
  box.text.textContent = label(box.name, w);
  box.g.setAttribute("class", parent ? "f parent" : "f");
  box.g.style.display = "";
}

function hide(box) { box.g.style.display = "none"; }

// Zooms into z: its callers (below it) span the full width, dimmed; what it calls is stretched; the rest hides.
function zoom(z) {
  var full = width - 2 * XPAD, scale = full / z.w, eps = 0.02;
  for (var i = 0; i < boxes.length; i++) {
    var b = boxes[i];
    if (b.y > z.y) {
      if (b.x <= z.x + eps && b.x + b.w >= z.x + z.w - eps) place(b, XPAD, full, true);
      else hide(b);
    } else if (b.x >= z.x - eps && b.x + b.w <= z.x + z.w + eps) {
      place(b, XPAD + (b.x - z.x) * scale, b.w * scale, false);
    } else {
      hide(b);
    }
  }
  unzoomButton.setAttribute("class", "button");
}

function unzoom() {
  for (var i = 0; i < boxes.length; i++) place(boxes[i], boxes[i].x, boxes[i].w, false);
  unzoomButton.setAttribute("class", "button hidden");
}

function askSearch() {
  var term = window.prompt("Search for frames matching (regular expression; empty to clear):", lastSearch);
  if (term !== null) search(term);
}

// Colours the frames whose name matches term and reports the share of the graph they cover, nested matches once.
function search(term) {
  var re = null;
  if (term !== "") {
    try { re = new RegExp(term); } catch (err) { window.alert("Not a regular expression: " + term); return; }
  }
  lastSearch = term;
  var spans = [];
  for (var i = 0; i < boxes.length; i++) {
    var b = boxes[i];
    if (re !== null && re.test(b.name)) {
      b.rect.setAttribute("fill", SEARCH_FILL);
      spans.push([b.x, b.x + b.w]);
    } else {
      b.rect.setAttribute("fill", b.fill);
    }
  }
  if (re === null) {
    matched.nodeValue = " ";
    searchButton.firstChild.nodeValue = "Search";
    return;
  }
  spans.sort(function (p, q) { return p[0] - q[0]; });
  var covered = 0, end = -Infinity;
  for (var j = 0; j < spans.length; j++) {
    if (spans[j][0] >= end) { covered += spans[j][1] - spans[j][0]; end = spans[j][1]; }
    else if (spans[j][1] > end) { covered += spans[j][1] - end; end = spans[j][1]; }
  }
  matched.nodeValue = "Matched: " + (100 * covered / (width - 2 * XPAD)).toFixed(1) + "%";
  searchButton.firstChild.nodeValue = "Search: " + term;
}
