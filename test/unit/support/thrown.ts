/**
 * What `run` throws, or null when it returns: lets a test assert on the error itself (its class,
 * code, words) rather than only that something was thrown.
 */
export function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (caught) {
    return caught;
  }
  return null;
}
