// Normalize benchmarks join here once `domfleet normalize` exists (issue 3).
export async function benchNormalize() {
  return [];
}
