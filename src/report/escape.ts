/**
 * Escaping for the HTML report. Everything user-controlled (feature, input, output and model
 * names, file paths, option values) passes through `escapeHtml` before it enters markup, and
 * through `jsonForScript` before it enters a `<script>` element, so no name can inject markup
 * or script.
 */

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Text safe inside HTML element content and quoted attribute values.
 *
 * @example
 * escapeHtml('<img src=x onerror="alert(1)">'); // "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"
 */
export function escapeHtml(text: string): string {
  return String(text).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/**
 * JSON safe inside `<script type="application/json">`: `<` is written `\u003c` (so neither
 * `</script>` nor `<!--` can appear), as are U+2028/U+2029. `JSON.parse` of the element's text
 * gives back the value.
 *
 * @example
 * jsonForScript({ name: "</script><script>alert(1)</script>" }); // no "</script" in the output
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/**
 * Library code safe to inline in a `<script>` element: any `</script` or `<!--` (which would
 * end or confuse the element) is rewritten with an escaped slash or bang, which means the same
 * inside JavaScript strings and regular expressions.
 *
 * @example
 * inlineScript('var s = "</script>";'); // 'var s = "<\/script>";'
 */
export function inlineScript(code: string): string {
  return code.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
}
