"use client";
// CodeMirror settings that keep the console's code editors accessible:
// - editorKeyboardAccess: the editable text takes keyboard focus with Tab, so a
//   long (scrolling) document can be read with the keyboard even when read-only
//   (axe: scrollable-region-focusable, WCAG 2.1.1).
// - darkEditorTheme: the dark theme's editor, in the console's neutral greys,
//   every colour at least 4.5:1 on its background (WCAG 1.4.3). CodeMirror's
//   own light theme passes; its stock dark theme (one-dark) does not (property
//   names 4.4:1, line numbers 3.9:1).
// - usePrefersDark(): true while the system asks for the dark theme (the
//   console's themes follow prefers-color-scheme).
import { HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { EditorView } from "@codemirror/view";
import { tags } from "@lezer/highlight";
import { useSyncExternalStore } from "react";

export const editorKeyboardAccess = EditorView.contentAttributes.of({ tabindex: "0" });

// Tailwind's neutral-900/800/700 and light tints (all >= 7:1 on #171717).
const DARK = {
  background: "#171717",
  activeLine: "#262626",
  border: "#404040",
  text: "#e5e5e5",
  muted: "#a3a3a3",
  selection: "#1e3a8a",
  string: "#86efac",
  property: "#93c5fd",
  number: "#fdba74",
  keyword: "#c4b5fd",
  invalid: "#fca5a5",
};

const darkChrome = EditorView.theme(
  {
    "&": { backgroundColor: DARK.background, color: DARK.text },
    ".cm-content": { caretColor: DARK.text },
    ".cm-cursor, .cm-dropCursor": { borderLeftColor: DARK.text },
    "&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection": {
      backgroundColor: DARK.selection,
    },
    ".cm-gutters": { backgroundColor: DARK.background, color: DARK.muted, borderRight: `1px solid ${DARK.border}` },
    ".cm-activeLine": { backgroundColor: DARK.activeLine },
    ".cm-activeLineGutter": { backgroundColor: DARK.activeLine, color: DARK.text },
    ".cm-foldPlaceholder": { backgroundColor: DARK.activeLine, border: `1px solid ${DARK.border}`, color: DARK.text },
    ".cm-tooltip": { backgroundColor: DARK.activeLine, border: `1px solid ${DARK.border}`, color: DARK.text },
    ".cm-panels": { backgroundColor: DARK.activeLine, color: DARK.text },
    ".cm-matchingBracket, .cm-nonmatchingBracket": { backgroundColor: "#404040", color: DARK.text },
  },
  { dark: true },
);

const darkHighlight = HighlightStyle.define([
  { tag: tags.string, color: DARK.string },
  { tag: tags.propertyName, color: DARK.property },
  { tag: tags.number, color: DARK.number },
  { tag: [tags.bool, tags.null, tags.keyword, tags.atom], color: DARK.keyword },
  { tag: tags.invalid, color: DARK.invalid },
  { tag: [tags.punctuation, tags.bracket, tags.separator], color: DARK.text },
  { tag: tags.comment, color: DARK.muted, fontStyle: "italic" },
]);

export const darkEditorTheme = [darkChrome, syntaxHighlighting(darkHighlight)];

const DARK_QUERY = "(prefers-color-scheme: dark)";

function subscribe(onChange: () => void) {
  const query = window.matchMedia(DARK_QUERY);
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
}

export function usePrefersDark(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => window.matchMedia(DARK_QUERY).matches,
    () => false,
  );
}
