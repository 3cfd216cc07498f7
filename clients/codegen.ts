/**
 * Client code generated from the OpenAPI document (clients/openapi.json, what `GET /docs/json`
 * serves): the TypeScript client's types (openapi-typescript) and the Python client's operation
 * table and TypedDicts. Pure functions of the document, so a test can regenerate them and compare
 * with the committed files (a route changed without `npm run clients:generate` fails the test).
 */
import openapiTS, { astToString } from 'openapi-typescript';

type Schema = {
  type?: string;
  nullable?: boolean;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  oneOf?: Schema[];
  description?: string;
};
interface Operation {
  operationId: string;
  parameters?: Array<{ name: string; in: string; required?: boolean }>;
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
}

const HEADER = 'Generated from clients/openapi.json by `npm run clients:generate`; do not edit.';

export async function typescriptTypes(doc: OpenApiDocument): Promise<string> {
  const ast = await openapiTS(doc as unknown as Parameters<typeof openapiTS>[0]);
  return `/** ${HEADER} */\n\n${astToString(ast)}`;
}

/** Python type of a JSON Schema, for TypedDicts (nested objects become dicts). */
function pythonType(schema: Schema | undefined): string {
  if (!schema) return 'Any';
  let t: string;
  if (schema.oneOf) t = 'Any';
  else if (schema.type === 'string') t = 'str';
  else if (schema.type === 'integer') t = 'int';
  else if (schema.type === 'number') t = 'float';
  else if (schema.type === 'boolean') t = 'bool';
  else if (schema.type === 'array') t = `List[${pythonType(schema.items)}]`;
  else t = 'Dict[str, Any]';
  return schema.nullable ? `Optional[${t}]` : t;
}

const camelToPascal = (name: string) => name[0].toUpperCase() + name.slice(1);

export function pythonModule(doc: OpenApiDocument): string {
  const operations: string[] = [];
  const dicts: string[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const form = op.requestBody?.content['multipart/form-data']?.schema;
      const query = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      const pathParams = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      operations.push(
        `    ${JSON.stringify(op.operationId)}: {"method": ${JSON.stringify(method.toUpperCase())}, "path": ${JSON.stringify(path)}, ` +
          `"path_params": ${JSON.stringify(pathParams)}, "query": ${JSON.stringify(query)}, ` +
          `"fields": ${JSON.stringify(Object.keys(form?.properties ?? {}))}, "required": ${JSON.stringify(form?.required ?? [])}},`,
      );
      const ok = op.responses['200'] ?? op.responses['202'];
      const data = ok?.content?.['application/json']?.schema.properties?.data;
      if (data?.properties) {
        const lines = Object.entries(data.properties).map(([name, s]) => `    ${name}: ${pythonType(s)}`);
        dicts.push(`class ${camelToPascal(op.operationId)}Data(TypedDict, total=False):\n    """Success data of ${op.operationId} (${method.toUpperCase()} ${path})."""\n${lines.join('\n')}\n`);
      }
    }
  }
  return [
    `"""${HEADER}"""`,
    'from typing import Any, Dict, List, Optional, TypedDict',
    '',
    '# operationId -> how to call it: method, path, path and query parameters, multipart fields.',
    'OPERATIONS: Dict[str, Dict[str, Any]] = {',
    ...operations,
    '}',
    '',
    '',
    dicts.join('\n\n'),
  ].join('\n');
}
