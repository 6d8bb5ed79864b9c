import type { JsonObject, JsonValue } from '../types';
import { kind } from './kinds';
import {
  ANY,
  INT_OR_STRING,
  STRING,
  isObject,
  map,
  mapList,
  ordered,
  set,
  struct,
  withDefault,
  type KeyField,
  type Node,
  type StructNode,
} from './schema';

const TOP_LEVEL = new Set(['apiVersion', 'kind', 'metadata', 'status']);

function nodeOf(schema: JsonObject): Node {
  let node = shapeOf(schema);
  // The API server applies a structural schema's defaults when a field is absent: a live value
  // equal to one is what Git's "left out" means, exactly as for built-in kinds.
  if (schema.default !== undefined) node = withDefault(node, schema.default);
  return node;
}

function shapeOf(schema: JsonObject): Node {
  if (schema['x-kubernetes-int-or-string'] === true) return INT_OR_STRING;
  const properties = isObject(schema.properties) ? schema.properties : undefined;
  const additional = schema.additionalProperties;
  switch (schema.type) {
    case 'object': {
      if (properties) {
        const fields: Record<string, Node> = {};
        for (const [name, child] of Object.entries(properties)) {
          if (isObject(child)) fields[name] = nodeOf(child);
        }
        return struct(fields);
      }
      if (isObject(additional)) return map(nodeOf(additional));
      return ANY;
    }
    case 'array':
      return listOf(schema);
    case 'string':
      return STRING;
    default:
      return ANY;
  }
}

function listOf(schema: JsonObject): Node {
  const item = isObject(schema.items) ? nodeOf(schema.items) : ANY;
  switch (schema['x-kubernetes-list-type']) {
    case 'map': {
      const keys = Array.isArray(schema['x-kubernetes-list-map-keys'])
        ? schema['x-kubernetes-list-map-keys'].filter(
            (key): key is string => typeof key === 'string',
          )
        : [];
      if (keys.length === 0) return ordered(item);
      const itemProperties =
        isObject(schema.items) && isObject(schema.items.properties)
          ? schema.items.properties
          : {};
      return mapList(
        keys.map((name): KeyField => {
          const property = itemProperties[name];
          const fallback: JsonValue | undefined = isObject(property)
            ? property.default
            : undefined;
          return fallback === undefined ? { name } : { name, default: fallback };
        }),
        item,
      );
    }
    case 'set':
      return set(item);
    default:
      return ordered(item);
  }
}

const converted = new WeakMap<JsonObject, StructNode>();

/**
 * The comparison schema of a custom resource from its CRD's structural schema
 * (`spec.versions[].schema.openAPIV3Schema`): field defaults, `x-kubernetes-list-type` map and
 * set lists with their keys, int-or-string values. Metadata and status are handled as for every
 * kind. Conversions are memoized per schema object.
 */
export function schemaFromOpenApi(openApi: JsonObject): StructNode {
  let schema = converted.get(openApi);
  if (!schema) {
    const fields: Record<string, Node> = {};
    const properties = isObject(openApi.properties) ? openApi.properties : {};
    for (const [name, child] of Object.entries(properties)) {
      if (!TOP_LEVEL.has(name) && isObject(child)) fields[name] = nodeOf(child);
    }
    schema = kind(fields);
    converted.set(openApi, schema);
  }
  return schema;
}
