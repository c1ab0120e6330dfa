// Small XML writing helpers for the query and restXml codecs. Hand-written: building response strings directly is
// the hot path of every query response, and escaping is all it needs.

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#xD;',
  '\n': '&#xA;',
  '\u0085': '&#x85;',
  '\u2028': '&#x2028;',
};

const NEEDS_ESCAPE = /[&<>"'\r\n\u0085\u2028]/g;

/** Escapes text for an element body or attribute; line breaks are written as references so they survive parsing. */
export function escapeXml(text: string): string {
  return NEEDS_ESCAPE.test(text) ? text.replace(NEEDS_ESCAPE, (c) => ESCAPES[c] ?? c) : text;
}
