// Zod schemas of the parts of a TensorFlow.js LayersModel `model.json` that axc reads, and where in the file
// the Keras model config sits (tfjs writes `modelTopology` in three shapes; `locateTopology` finds the config).

import { z } from 'zod';

/** A Keras 2 / tfjs reference to a layer's output tensor: [layerName, nodeIndex, tensorIndex, kwargs?]. */
export const TensorRefSchema = z.tuple([z.string(), z.int().nonnegative(), z.int().nonnegative()], z.unknown());
export type TensorRefTuple = z.infer<typeof TensorRefSchema>;

/** `input_layers` / `output_layers`: a list of tensor refs, or (Keras 3, one tensor) a single ref. */
export const TensorRefListSchema = z.union([z.array(TensorRefSchema), TensorRefSchema]);

export const LayerSchema = z.looseObject({
  class_name: z.string(),
  /** Functional models repeat the name here; Sequential layers only have config.name. */
  name: z.string().optional(),
  config: z.looseObject({ name: z.string().optional() }),
  /** Keras 2 / tfjs: [[ref, ...], ...] per call; Keras 3: [{ args: [...], kwargs: {...} }, ...]. Parsed in layer-graph.ts. */
  inbound_nodes: z.array(z.unknown()).optional(),
});
export type LayerJson = z.infer<typeof LayerSchema>;

export const FunctionalConfigSchema = z.looseObject({
  name: z.string().optional(),
  layers: z.array(LayerSchema),
  input_layers: TensorRefListSchema,
  output_layers: TensorRefListSchema,
});
export type FunctionalConfig = z.infer<typeof FunctionalConfigSchema>;

/** Sequential: `{ name, layers }`, or a bare array of layers (older Keras). */
export const SequentialConfigSchema = z.union([z.looseObject({ name: z.string().optional(), layers: z.array(LayerSchema) }), z.array(LayerSchema)]);

export const DenseConfigSchema = z.looseObject({
  units: z.int().positive(),
  /** Absent or null means linear (Keras' default). */
  activation: z.string().nullish(),
  use_bias: z.boolean().optional(),
});
export type DenseConfig = z.infer<typeof DenseConfigSchema>;

const ShapeSchema = z.array(z.int().positive().nullable());
/** The batch shape of an InputLayer (or of a Sequential model's first layer), under any of its spellings. */
export const InputShapeConfigSchema = z.looseObject({
  batch_input_shape: ShapeSchema.optional(),
  batchInputShape: ShapeSchema.optional(),
  batch_shape: ShapeSchema.optional(),
});

export const WeightEntrySchema = z.looseObject({
  name: z.string(),
  shape: z.array(z.int().nonnegative()),
  dtype: z.string(),
  /** Present on quantized weights (`tensorflowjs_converter --quantize_*`); axc refuses them. */
  quantization: z.looseObject({ dtype: z.string().optional(), scale: z.number().optional(), min: z.number().optional() }).optional(),
});
export type WeightEntry = z.infer<typeof WeightEntrySchema>;

export const WeightsGroupSchema = z.looseObject({
  paths: z.array(z.string()),
  weights: z.array(WeightEntrySchema),
});
export type WeightsGroup = z.infer<typeof WeightsGroupSchema>;

/** The top level of model.json. `modelTopology` is checked separately, once its shape is known (locateTopology). */
export const LayersModelFileSchema = z.looseObject({
  format: z.string().optional(),
  generatedBy: z.string().nullish(),
  convertedBy: z.string().nullish(),
  modelTopology: z.unknown(),
  weightsManifest: z.array(WeightsGroupSchema),
});

export type JsonPath = (string | number)[];

export interface TopologyLocation {
  kind: 'functional' | 'sequential';
  /** The Keras class name as written ('Model', 'Functional', 'Sequential'), or null when tfjs wrote a bare config. */
  className: string | null;
  /** The model config itself (validated by the caller against Functional/SequentialConfigSchema). */
  config: unknown;
  /** JSON path of `config` from the document root. */
  path: JsonPath;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Finds the Keras model config inside `modelTopology`, which tfjs writes as `{ class_name, config, keras_version?,
 * backend? }`, as `{ model_config: { class_name, config }, training_config?, ... }` (tensorflowjs_converter from
 * .h5), or directly as the model config `{ name, layers, input_layers?, output_layers? }`. Returns a reason on failure.
 */
export function locateTopology(topology: unknown): TopologyLocation | { unknownClass: unknown; path: JsonPath } | { unrecognised: true; path: JsonPath } {
  let path: JsonPath = ['modelTopology'];
  let t = topology;
  if (isObject(t) && isObject(t.model_config)) {
    t = t.model_config;
    path = [...path, 'model_config'];
  }
  if (isObject(t) && 'class_name' in t) {
    const cls = t.class_name;
    if (cls === 'Model' || cls === 'Functional') return { kind: 'functional', className: cls, config: t.config, path: [...path, 'config'] };
    if (cls === 'Sequential') return { kind: 'sequential', className: cls, config: t.config, path: [...path, 'config'] };
    return { unknownClass: cls, path: [...path, 'class_name'] };
  }
  if (Array.isArray(t)) return { kind: 'sequential', className: null, config: t, path };
  if (isObject(t) && 'layers' in t) return { kind: 'input_layers' in t || 'output_layers' in t ? 'functional' : 'sequential', className: null, config: t, path };
  return { unrecognised: true, path };
}

/** `userDefinedMetadata.axc`, written by `axc export`: what the layers cannot say. */
export const AxcMetadataSchema = z
  .object({
    threshold: z.number().gt(0).lt(1).optional(),
    safeIndex: z.union([z.literal(0), z.literal(1)]).optional(),
    quality: z.object({ metric: z.enum(['abs', 'rel', 'rmse']), bound: z.number().positive() }).strict().nullable().optional(),
    benchmark: z.string().optional(),
    cpuCycles: z.number().int().min(1).max(1e9).optional(),
  })
  .strict();
