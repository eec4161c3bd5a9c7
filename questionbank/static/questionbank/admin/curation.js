/* Curation in admin (docs/curation.md, "Editing"): chips for lists typed one per line, drag-to-reorder for
   ordered inlines, and a live preview of the description. A static file (the Content-Security-Policy allows
   no inline script); without it every field still works as a plain textarea or input. */
(function () {
  "use strict";

  const SKIP = ".empty-form";  // the template row Django clones for "Add another"

  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  /* --- Chips: the textarea stays the form's field, kept in step with the chips ------------------------- */

  function splitItems(text, separators) {
    return text.split(separators).map((item) => item.trim()).filter(Boolean);
  }

  function initChips(textarea) {
    if (textarea.dataset.chipsReady || textarea.closest(SKIP)) return;
    textarea.dataset.chipsReady = "1";
    const separators = textarea.dataset.chips === "tags" ? /[\n,]/ : /\n/;
    const box = document.createElement("div");
    box.className = "chips";
    const list = document.createElement("ul");
    list.className = "chip-list";
    const input = document.createElement("input");
    input.type = "text";
    input.className = "chip-input";
    const label = textarea.id && document.querySelector(`label[for="${textarea.id}"]`);
    input.setAttribute("aria-label", `Add to ${label ? label.textContent.replace(/:$/, "") : "the list"}`);
    input.placeholder = textarea.dataset.chips === "tags" ? "Add a tag, then Enter" : "Type one, then Enter";
    box.append(list, input);
    textarea.after(box);
    textarea.classList.add("chips-source");

    function items() { return splitItems(textarea.value, separators); }
    function save(values) {
      textarea.value = values.join("\n");
      textarea.dispatchEvent(new Event("change", { bubbles: true }));
      render();
    }
    function render() {
      list.replaceChildren(...items().map((item, index) => {
        const chip = document.createElement("li");
        chip.className = "chip";
        chip.textContent = item;
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "chip-remove";
        remove.textContent = "×";
        remove.setAttribute("aria-label", `Remove ${item}`);
        remove.addEventListener("click", () => save(items().filter((_, i) => i !== index)));
        chip.append(remove);
        return chip;
      }));
    }
    function add() {
      const fresh = splitItems(input.value, separators);
      input.value = "";
      if (fresh.length) save([...items(), ...fresh]);
    }
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || (event.key === "," && textarea.dataset.chips === "tags")) {
        event.preventDefault();
        add();
      } else if (event.key === "Backspace" && !input.value && items().length) {
        save(items().slice(0, -1));
      }
    });
    input.addEventListener("blur", add);
    render();
  }

  /* --- Ordered inlines: drag a row by its handle (or move it with the arrow keys) ----------------------- */

  const ROW = "tr.form-row[id], div.inline-related[id]";  // a tabular inline's wrapper has no id

  function rowsOf(group) {
    return [...group.querySelectorAll(ROW)].filter((row) => !row.matches(SKIP));
  }

  function renumber(group) {
    rowsOf(group).forEach((row, index) => {
      const position = row.querySelector("input[name$='-position']");
      if (position) position.value = String(index);
    });
  }

  function move(group, row, target, after) {
    if (!target || target === row) return;
    target[after ? "after" : "before"](row);
    renumber(group);
  }

  function addHandle(group, row) {
    if (row.querySelector(".drag-handle") || row.matches(SKIP)) return;
    const handle = document.createElement("button");
    handle.type = "button";
    handle.className = "drag-handle";
    handle.textContent = "⠿";
    handle.title = "Drag to reorder (or use the arrow keys)";
    handle.setAttribute("aria-label", "Move this row (arrow keys)");
    handle.draggable = true;
    const cell = row.matches("tr") ? row.querySelector("td") : row.querySelector("h3") || row;
    cell.prepend(handle);
    handle.addEventListener("dragstart", (event) => {
      group.dataset.dragging = row.id;
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", row.id);
      row.classList.add("dragging");
    });
    handle.addEventListener("dragend", () => {
      row.classList.remove("dragging");
      delete group.dataset.dragging;
    });
    handle.addEventListener("keydown", (event) => {
      const rows = rowsOf(group);
      const index = rows.indexOf(row);
      if (event.key === "ArrowUp" && index > 0) move(group, row, rows[index - 1], false);
      else if (event.key === "ArrowDown" && index < rows.length - 1) move(group, row, rows[index + 1], true);
      else return;
      event.preventDefault();
      handle.focus();
    });
  }

  function initOrdering(group) {
    if (group.dataset.orderingReady) return;
    group.dataset.orderingReady = "1";
    rowsOf(group).forEach((row) => addHandle(group, row));
    group.addEventListener("dragover", (event) => {
      if (!group.dataset.dragging) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
    });
    group.addEventListener("drop", (event) => {
      const row = document.getElementById(group.dataset.dragging || "");
      const target = event.target.closest && event.target.closest(ROW);
      if (!row || !target || !group.contains(target)) return;
      event.preventDefault();
      const box = target.getBoundingClientRect();
      move(group, row, target, event.clientY > box.top + box.height / 2);
    });
  }

  /* --- Live preview of the description: rendered and sanitised by the server, as candidates see it ------ */

  function initPreview(textarea) {
    const preview = document.querySelector(`[data-preview-for="${textarea.id}"]`);
    const url = textarea.dataset.previewUrl;
    if (!preview || !url) return;
    let timer = null;
    let sent = 0;
    textarea.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const request = ++sent;
        const body = new FormData();
        body.append("text", textarea.value);
        const response = await fetch(url, { method: "POST", body, headers: { "X-CSRFToken": csrfToken() },
                                            credentials: "same-origin" });
        if (response.ok && request === sent) preview.innerHTML = await response.text();
      }, 300);
    });
  }

  function init(root) {
    root.querySelectorAll("textarea[data-chips]").forEach(initChips);
    root.querySelectorAll(".inline-group").forEach((group) => {
      if (group.querySelector("fieldset.orderable, .orderable")) initOrdering(group);
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    init(document);
    document.querySelectorAll("textarea.markdown-source").forEach(initPreview);
    const form = document.getElementById("question_form");
    if (form) {
      // Rows added with "Add another" stand last; every row is numbered as it stands when saved.
      form.addEventListener("submit", () => document.querySelectorAll(".inline-group").forEach(renumber));
    }
  });

  document.addEventListener("formset:added", (event) => {
    const row = event.target;
    init(row);
    const group = row.closest(".inline-group");
    if (group && group.dataset.orderingReady) {
      addHandle(group, row);
      renumber(group);
    }
  });
})();
