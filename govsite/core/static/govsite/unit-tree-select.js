// 机构树选择: narrow a unit <select> (rendered as an indented tree by govsite/core/unit_tree.py) by typing.
// Matches keep their parents visible so the tree still reads; the empty option ("全部单位") always stays.
(function () {
  "use strict";

  function setUp(box) {
    if (box.dataset.unitTreeReady) return;
    box.dataset.unitTreeReady = "1";
    var select = box.querySelector("select");
    var input = box.querySelector("[data-unit-tree-search]");
    var count = box.querySelector("[data-unit-tree-count]");
    var all = Array.prototype.slice.call(select.options);
    var byValue = {};
    all.forEach(function (option) { byValue[option.value] = option; });

    function apply() {
      var words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      var keep = {};
      var found = 0;
      all.forEach(function (option) {
        var text = option.dataset.search;
        if (!option.value || text === undefined) { keep[option.value] = true; return; }
        var hit = words.every(function (word) { return text.indexOf(word) !== -1; });
        if (!hit) return;
        found += 1;
        for (var node = option; node && !keep[node.value]; node = byValue[node.dataset.parent || ""]) {
          keep[node.value] = true;
          if (!node.dataset.parent) break;
        }
      });
      var selected = select.value;
      while (select.options.length) select.remove(0);
      all.forEach(function (option) {
        if (keep[option.value] || option.value === selected) select.add(option);
      });
      select.value = selected;
      // While searching, show the narrowed tree as an open list; a dropdown again once the box is empty.
      select.size = words.length ? Math.max(2, Math.min(select.options.length, 10)) : 0;
      count.textContent = words.length ? "找到 " + found + " 个单位" : "";
    }

    input.addEventListener("input", apply);
    input.addEventListener("keydown", function (event) {
      // Enter or ↓ moves to the list: pick the first match so the form can be submitted from the keyboard.
      if (event.key !== "Enter" && event.key !== "ArrowDown") return;
      event.preventDefault();
      var first = Array.prototype.find.call(select.options, function (option) {
        return option.value && option.dataset.search !== undefined &&
          input.value.trim().toLowerCase().split(/\s+/).filter(Boolean)
            .every(function (word) { return option.dataset.search.indexOf(word) !== -1; });
      });
      if (first) select.value = first.value;
      select.focus();
    });
    box.querySelector(".govsite-unit-tree__search").hidden = false;
  }

  function setUpAll() {
    document.querySelectorAll("[data-unit-tree]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
