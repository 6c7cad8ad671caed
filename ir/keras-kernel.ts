// The one conversion between a Keras/tfjs Dense kernel (row-major [in][out]) and the IR's weight rows
// (row-major [out][in], one row per neuron, bias kept apart): the importer, the trainer and the exporter all use it.

/** A Keras kernel [inWidth][units] as IR rows [units][inWidth]. */
export function kernelToRows(kernel: Float32Array, inWidth: number, units: number): Float32Array {
  const rows = new Float32Array(units * inWidth);
  for (let i = 0; i < inWidth; i++) for (let o = 0; o < units; o++) rows[o * inWidth + i] = kernel[i * units + o];
  return rows;
}

/** IR rows [first, first + units) of a layer fed inWidth values, as a Keras kernel [inWidth][units]. */
export function rowsToKernel(rows: Float32Array, inWidth: number, first: number, units: number): Float32Array {
  const kernel = new Float32Array(inWidth * units);
  for (let o = 0; o < units; o++) for (let i = 0; i < inWidth; i++) kernel[i * units + o] = rows[(first + o) * inWidth + i];
  return kernel;
}
