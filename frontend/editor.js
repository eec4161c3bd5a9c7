/* The room's code editor: CodeMirror 6 bundled by esbuild into static/vendor/editor.js (`make assets`).
 *
 * It enhances a <textarea> in place: the textarea stays the form's field (kept in sync, hidden), so the page
 * works before the bundle loads and the room reads one value whichever editor is showing. Tab indents; the
 * keyboard escape is CodeMirror's tab-focus mode: Esc then Tab (or Ctrl+M to toggle) moves focus out. Completion
 * opens on Ctrl+Space only: suggestions popping up while typing get in the way of an interview answer.
 *
 * Under the strict Content-Security-Policy (style-src 'self', no inline styles) CodeMirror writes its styles into
 * a <style> element in the document's head, which the policy allows only with the page's nonce: the room passes
 * it as `options.nonce` (EditorView.cspNonce; the server adds it to style-src for that page only). Its element
 * styles are set through the CSSOM, which the policy allows. The room's browser test watches for CSP errors. */
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { javascript } from "@codemirror/lang-javascript";
import { python } from "@codemirror/lang-python";
import {
  bracketMatching, foldGutter, foldKeymap, HighlightStyle, indentOnInput, indentUnit, syntaxHighlighting,
} from "@codemirror/language";
import { Compartment, EditorState } from "@codemirror/state";
import { tags as t } from "@lezer/highlight";  // @codemirror/language's own (locked) dependency
import {
  drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, highlightSpecialChars, keymap,
  lineNumbers, placeholder,
} from "@codemirror/view";

/* Token colours from the page's CSS variables (static/css/room.css), so the light and the dark theme each get
 * colours readable on their background; CodeMirror's default style is for light backgrounds only. */
const HIGHLIGHT = HighlightStyle.define([
  { tag: [t.keyword, t.controlKeyword, t.operatorKeyword, t.definitionKeyword, t.moduleKeyword, t.self],
    color: "var(--code-keyword)" },
  { tag: [t.string, t.special(t.string), t.regexp, t.escape], color: "var(--code-string)" },
  { tag: [t.number, t.bool, t.null, t.atom], color: "var(--code-number)" },
  { tag: [t.comment, t.lineComment, t.blockComment], color: "var(--code-comment)", fontStyle: "italic" },
  { tag: [t.function(t.variableName), t.function(t.definition(t.variableName)), t.function(t.propertyName)],
    color: "var(--code-function)" },
  { tag: [t.typeName, t.className, t.standard(t.variableName)], color: "var(--code-type)" },
  { tag: t.invalid, color: "var(--bad)" },
]);

const LANGUAGES = { python: () => [python(), indentUnit.of("    ")], javascript: () => [javascript(), indentUnit.of("  ")] };

function languageSupport(name) {
  return (LANGUAGES[name] || (() => []))();
}

/** Replace `textarea` with an editor; returns the handle the room drives it through. */
function create(textarea, options = {}) {
  const language = new Compartment();
  const onChange = options.onChange || (() => {});
  const label = textarea.getAttribute("aria-label") || (textarea.labels && textarea.labels[0] ? textarea.labels[0].textContent : "Code editor");
  const view = new EditorView({
    parent: textarea.parentNode,
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        lineNumbers(), highlightActiveLineGutter(), foldGutter(), highlightSpecialChars(), history(), drawSelection(),
        indentOnInput(), bracketMatching(), closeBrackets(), autocompletion({ activateOnTyping: false }),
        highlightActiveLine(),
        syntaxHighlighting(HIGHLIGHT),
        placeholder(options.placeholder || ""),
        EditorView.cspNonce.of(options.nonce || ""),
        keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...foldKeymap, ...completionKeymap,
          indentWithTab]),
        language.of(languageSupport(options.language)),
        // tabindex: the editable content is the scroller's keyboard stop (axe: scrollable-region-focusable).
        EditorView.contentAttributes.of({ "aria-label": label.trim(), tabindex: "0",
          "aria-describedby": textarea.getAttribute("aria-describedby") || "" }),
        EditorView.updateListener.of((update) => {
          if (!update.docChanged) return;
          textarea.value = update.state.doc.toString();
          onChange(textarea.value);
        }),
      ],
    }),
  });
  textarea.parentNode.insertBefore(view.dom, textarea.nextSibling);
  textarea.hidden = true;
  view.dom.classList.add("code-editor");
  return {
    view,
    getValue: () => view.state.doc.toString(),
    setValue(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text || "" } });
    },
    setLanguage(name) {
      view.dispatch({ effects: language.reconfigure(languageSupport(name)) });
    },
    focus: () => view.focus(),
  };
}

window.CodeEditor = { create, languages: Object.keys(LANGUAGES) };
