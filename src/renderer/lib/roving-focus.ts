/**
 * Where an arrow key, Home or End moves the focus in a list of `count`
 * items (wrapping at both ends), as the WAI-ARIA tab, menu and toolbar
 * patterns want; undefined for any other key.
 */
export function rovingTarget(
  key: string,
  index: number,
  count: number,
  orientation: 'vertical' | 'horizontal',
): number | undefined {
  const [next, previous] = orientation === 'vertical' ? ['ArrowDown', 'ArrowUp'] : ['ArrowRight', 'ArrowLeft'];
  if (key === next) return (index + 1) % count;
  if (key === previous) return (index - 1 + count) % count;
  if (key === 'Home') return 0;
  if (key === 'End') return count - 1;
  return undefined;
}
