/**
 * Where model warnings go (declared vs actual output shape, …). Default: `console.warn`.
 * Tests and applications can capture them instead.
 *
 * @example
 * const warnings: string[] = [];
 * const collect: WarningHandler = (message) => warnings.push(message);
 * setWarningHandler(collect);
 */
export type WarningHandler = (message: string) => void;

let handler: WarningHandler = (m) => console.warn(`gradlens: ${m}`);

/**
 * Replaces the warning handler; returns the previous one so it can be restored.
 *
 * @example const prev = setWarningHandler((m) => seen.push(m)); … setWarningHandler(prev);
 */
export function setWarningHandler(h: WarningHandler): WarningHandler {
  const prev = handler;
  handler = h;
  return prev;
}

export function warn(message: string): void {
  handler(message);
}
